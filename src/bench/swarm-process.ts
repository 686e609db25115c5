import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '../proc/managed-process.js';
import { centrifugoProtocol } from './centrifugo-swarm-protocol.js';
import { SubscriberSwarm, type SwarmMember } from './subscriber-swarm.js';
import { referenceProtocol, type SwarmProtocol } from './swarm-protocol.js';

/** The protocols a swarm child can speak, by the name the bench process sends it. */
const PROTOCOLS = { reference: referenceProtocol, centrifugo: centrifugoProtocol } satisfies Record<string, SwarmProtocol>;
export type SwarmProtocolName = keyof typeof PROTOCOLS;

export interface SwarmProcessOptions {
  protocol?: SwarmProtocolName;
  /** See SwarmOptions.latencySampleEvery. */
  latencySampleEvery?: number;
}

/** Requests from the bench process to its swarm child, answered by `{id, ok, value}` or `{id, ok:false, error}`. */
type SwarmRequest =
  | { id: number; op: 'open'; wsUrl: string; members: SwarmMember[]; options: SwarmProcessOptions }
  | { id: number; op: 'deliveries' }
  | { id: number; op: 'latencies' }
  | { id: number; op: 'wait'; target: number; timeoutMs: number }
  | { id: number; op: 'pause'; index: number }
  | { id: number; op: 'closed' };
type SwarmValue = number | number[];
type SwarmReply = { id: number; ok: true; value: SwarmValue } | { id: number; ok: false; error: string };
type Op<R> = R extends { op: infer O } ? O : never;
type Args<O> = Omit<Extract<SwarmRequest, { op: O }>, 'id' | 'op'>;

/**
 * The subscriber sockets live in a child process of their own, so the tens of thousands of frames they receive
 * do not delay the bench process's clock while it times acknowledgements.
 */
export class SwarmProcess {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: SwarmValue) => void; reject: (e: Error) => void }>();

  private readonly child: ChildProcess;

  private constructor(private readonly managed: ManagedProcess) {
    const child = (this.child = managed.child);
    child.on('message', (reply: SwarmReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(reply.error));
    });
    child.on('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`swarm process exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  static async open(wsUrl: string, members: SwarmMember[], options: SwarmProcessOptions = {}): Promise<SwarmProcess> {
    const child = await ManagedProcess.start({
      name: 'subscriber swarm',
      command: process.execPath,
      args: [...process.execArgv, fileURLToPath(import.meta.url)],
      stdout: 'inherit',
      stderr: 'inherit',
      ipc: true,
    });
    const swarm = new SwarmProcess(child);
    try {
      await swarm.call('open', { wsUrl, members, options });
    } catch (error) {
      swarm.close();
      throw error;
    }
    return swarm;
  }

  deliveries(): Promise<number> {
    return this.call('deliveries', {}) as Promise<number>;
  }
  /** The sampled sockets' delivery latencies so far, in ms (empty unless opened with latencySampleEvery). */
  latencies(): Promise<number[]> {
    return this.call('latencies', {}) as Promise<number[]>;
  }
  waitForDeliveries(target: number, timeoutMs: number): Promise<number> {
    return this.call('wait', { target, timeoutMs }) as Promise<number>;
  }
  pause(index: number): Promise<number> {
    return this.call('pause', { index }) as Promise<number>;
  }
  closedCount(): Promise<number> {
    return this.call('closed', {}) as Promise<number>;
  }
  close(): void {
    void this.managed.kill();
  }

  private call<O extends Op<SwarmRequest>>(op: O, args: Args<O>): Promise<SwarmValue> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, ...args });
    });
  }
}

/** The child's side: one SubscriberSwarm, driven over IPC. */
function serveSwarm(): void {
  let swarm: SubscriberSwarm | undefined;
  const answer = async (request: SwarmRequest): Promise<SwarmValue> => {
    if (request.op === 'open') {
      const { protocol = 'reference', latencySampleEvery } = request.options;
      swarm = await SubscriberSwarm.open(request.wsUrl, request.members, { protocol: PROTOCOLS[protocol], latencySampleEvery });
      return swarm.size;
    }
    if (!swarm) throw new Error('swarm not open');
    if (request.op === 'deliveries') return swarm.deliveries;
    if (request.op === 'latencies') return swarm.latencies;
    if (request.op === 'wait') {
      await swarm.waitForDeliveries(request.target, request.timeoutMs);
      return swarm.deliveries;
    }
    if (request.op === 'pause') {
      swarm.pause(request.index);
      return 0;
    }
    return swarm.closedCount();
  };
  process.on('message', (request: SwarmRequest) => {
    answer(request).then(
      (value) => process.send?.({ id: request.id, ok: true, value } satisfies SwarmReply),
      (error: unknown) => process.send?.({ id: request.id, ok: false, error: String((error as Error)?.message ?? error) } satisfies SwarmReply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) serveSwarm();
