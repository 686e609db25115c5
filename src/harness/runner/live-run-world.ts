import type { Nemesis } from '../../faults/nemesis.js';
import { PLAIN_SEND, type SendInput, type TextShape } from '../generator/client-input.js';
import { RunInputs } from '../generator/run-inputs.js';
import { faultKey, type ConcurrentOp, type FaultInstance } from '../generator/run-world.js';
import type { HistoryEvent } from '../../history/event.js';
import type { HistoryRecorder } from '../../history/history-recorder.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { Target, TargetCapabilities, TargetClient } from '../sut/target.js';
import type { LiveRun } from './case-target.js';
import { NotSupportedError } from './not-supported-error.js';

/** How long the end of a run waits for the server's async work, and a command for clients to come back. */
const QUIET_DEADLINE_MS = 5_000;
const RECONNECT_DEADLINE_MS = 5_000;

interface RunClient {
  id: string;
  rooms: string[];
  client: TargetClient;
}

export interface LiveRunSetup {
  runIndex: number;
  scenario: Scenario;
  recorder: HistoryRecorder;
  /** Scenario room id -> this run's room id. */
  roomIds: Map<string, string>;
  clients: RunClient[];
  target: Target;
  capabilities: TargetCapabilities;
  nemesis: Nemesis;
  /** Aborted: the run stops at its next step; `finish` then only closes the clients. */
  signal?: AbortSignal;
}

/** One property run over the wire: the commands' RunWorld, recording everything into the run's history. */
export class LiveRunWorld implements LiveRun {
  private readonly clients = new Map<string, TargetClient>();
  /** Per client, the messages it sent and got acknowledged (what edit and delete pick from). */
  private readonly own = new Map<string, { roomId: string; id: string }[]>();
  private readonly activeFaults = new Map<string, FaultInstance>();
  private readonly inputs: RunInputs;

  private constructor(private readonly setup: LiveRunSetup) {
    this.inputs = new RunInputs(setup.runIndex);
  }

  static async begin(setup: LiveRunSetup): Promise<LiveRunWorld> {
    const run = new LiveRunWorld(setup);
    const { scenario, recorder } = setup;
    for (const c of setup.clients) {
      run.own.set(c.id, []);
      run.clients.set(c.id, c.client);
    }
    await Promise.all([...run.clients.values()].map((client) => client.connect()));
    for (const fault of scenario.faults.filter((f) => f.always)) {
      await run.startFault({ name: fault.name, params: fault.params });
    }
    return run;
  }

  async send(clientId: string, roomId: string, input: SendInput = PLAIN_SEND): Promise<void> {
    await this.settle();
    const room = this.setup.roomIds.get(roomId) ?? roomId;
    const { text, clientMsgId } = this.inputs.send(clientId, room, input);
    const result = await this.client(clientId).send(room, text, clientMsgId === undefined ? {} : { clientMsgId });
    this.inputs.used(clientId, room, result.clientMsgId);
    if (result.status === 'ok' && result.message) this.own.get(clientId)!.push({ roomId: room, id: result.message.id });
  }

  async edit(clientId: string, pick: number, text?: TextShape): Promise<void> {
    if (!this.setup.capabilities.edit) return;
    await this.settle();
    const target = this.pick(clientId, pick);
    if (target) await this.client(clientId).edit(target.roomId, target.id, this.inputs.text(clientId, text, true));
  }

  async delete(clientId: string, pick: number): Promise<void> {
    if (!this.setup.capabilities.delete) return;
    await this.settle();
    const target = this.pick(clientId, pick);
    if (target) await this.client(clientId).delete(target.roomId, target.id);
  }

  async burst(size: number, offset: number): Promise<void> {
    await this.settle();
    const memberships = this.setup.clients.flatMap((c) => c.rooms.map((roomId) => [c.id, roomId] as const));
    const sends = Array.from({ length: size }, (_, i) => memberships[(offset + i) % memberships.length]!);
    await Promise.all(sends.map(([clientId, roomId]) => this.send(clientId, roomId)));
  }

  async concurrently(ops: readonly ConcurrentOp[]): Promise<void> {
    await this.settle();
    const chains = new Map<string, ConcurrentOp[]>();
    for (const op of ops) chains.set(op.clientId, [...(chains.get(op.clientId) ?? []), op]);
    await Promise.all([...chains.values()].map(async (chain) => {
      for (const op of chain) {
        if (op.kind === 'send') {
          await this.send(op.clientId, op.roomId, op.input);
          continue;
        }
        if (!this.setup.capabilities[op.kind]) continue;
        const own = this.own.get(op.clientId) ?? [];
        const target = own[own.length - 1 - (op.pick % Math.max(1, own.length))];
        if (!target) continue;
        const client = this.client(op.clientId);
        if (op.kind === 'edit') await client.edit(target.roomId, target.id, this.inputs.text(op.clientId, op.text, true));
        else await client.delete(target.roomId, target.id);
      }
    }));
  }

  async reconnect(clientId: string): Promise<void> {
    const client = this.client(clientId);
    await client.disconnect();
    await client.connect();
  }

  async startFault(fault: FaultInstance): Promise<void> {
    const key = faultKey(fault);
    if (this.activeFaults.has(key)) return;
    this.activeFaults.set(key, fault);
    const { nemesis, target } = this.setup;
    if (nemesis.handles(fault.name)) {
      this.append(await nemesis.start(this.withFrameMatch(fault)));
      return;
    }
    this.recordFault(fault, 'start');
    await this.targetFaults(fault).start(fault);
  }

  async healFault(fault: FaultInstance): Promise<void> {
    const key = faultKey(fault);
    const active = this.activeFaults.get(key);
    if (!active) return;
    this.activeFaults.delete(key);
    const { nemesis } = this.setup;
    if (nemesis.handles(active.name)) {
      this.append(await nemesis.heal(active));
      return;
    }
    await this.targetFaults(active).heal(active);
    this.recordFault(active, 'heal');
  }

  /**
   * Whatever happens on the way (a heal that fails, a stop), the clients are closed: nothing of a run outlives it.
   * Once the snapshot is read and the clients are closed, the target may retire the run's rooms.
   */
  async finish(): Promise<HistoryEvent[]> {
    const { recorder, target, signal } = this.setup;
    const rooms = [...this.setup.roomIds.values()];
    let recorded = false;
    try {
      signal?.throwIfAborted();
      for (const fault of [...this.activeFaults.values()].reverse()) await this.healFault(fault);
      await target.quiesce(QUIET_DEADLINE_MS, signal);
      signal?.throwIfAborted();
      await Promise.all([...this.clients.values()].map((client) => client.finalSync()));
      signal?.throwIfAborted();
      const messages = await target.snapshot(rooms);
      recorder.record({ type: 'db-snapshot', messages });
      recorded = true;
      return [...recorder.events()];
    } finally {
      await Promise.all([...this.clients.values()].map((client) => client.close().catch(() => undefined)));
      // Only an economy for the later runs: rooms it failed to drop are judged the same, so a failure is ignored.
      if (recorded) await target.retireRooms?.(rooms).catch(() => undefined);
    }
  }

  /**
   * After a server restart, lets the clients that no fault keeps off reconnect before the next operation, so every
   * pattern is measured with its members listening (a crash's cost is the crash, not the reconnect race after it).
   */
  private async settle(): Promise<void> {
    this.setup.signal?.throwIfAborted();
    await this.setup.target.whenUp();
    const linkFaulted = (id: string) =>
      [...this.activeFaults.values()].some((f) => f.name.startsWith('ws.') && (f.target === undefined || f.target === id));
    const waiting = [...this.clients.entries()].filter(([id, client]) => !client.connected && !linkFaulted(id));
    await Promise.all(
      waiting.map(([, client]) => client.waitFor(() => client.connected, RECONNECT_DEADLINE_MS).catch(() => undefined)),
    );
  }

  private client(clientId: string): TargetClient {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`no client ${clientId} in this run`);
    return client;
  }

  private pick(clientId: string, pick: number): { roomId: string; id: string } | undefined {
    const own = this.own.get(clientId) ?? [];
    return own.length ? own[pick % own.length] : undefined;
  }

  private recordFault(fault: FaultInstance, phase: 'start' | 'heal'): void {
    const target = fault.name.startsWith('db.') ? 'database' : (fault.target ?? 'server');
    this.setup.recorder.record({ type: 'fault', fault: fault.name, phase, target, params: { ...fault.params } });
  }

  private append(events: HistoryEvent[]): void {
    for (const event of events) this.setup.recorder.append(event);
  }

  /** A frame fault without a match of its own matches the target's broadcast frames. */
  private withFrameMatch(fault: FaultInstance): FaultInstance {
    const frame = this.setup.capabilities.broadcastFrame;
    const own = fault.params['contains'] !== undefined || fault.params['types'] !== undefined;
    if (!frame || own || !fault.name.endsWith('-frame')) return fault;
    return { ...fault, params: { ...fault.params, contains: frame.contains } };
  }

  /** The target carries out what the nemesis does not; a fault it does not know is the scenario's mismatch. */
  private targetFaults(fault: FaultInstance): Target['faults'] {
    const { faults } = this.setup.target;
    if (!faults.handles(fault.name)) throw new NotSupportedError(`${fault.name} is not a fault this target can carry out`);
    return faults;
  }
}
