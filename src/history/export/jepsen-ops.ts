import type { Message } from '../../chat/message.js';
import type { CompleteEvent, HistoryEvent, InvokeEvent, MetaEvent } from '../event.js';

/** A keyword in EDN (`:ok`), a string in elle-cli's JSON. */
export interface Keyword {
  keyword: string;
}

export type JepsenValue = number | string | null | Keyword | JepsenValue[] | { [key: string]: JepsenValue };

/** One Jepsen operation: `{:index 0 :time 12000 :type :invoke :process 0 :f :add :value 3}`. */
export interface JepsenOp {
  index: number;
  /** Nanoseconds since the run started. */
  time: number;
  type: Keyword;
  /** An integer per client (a new one after an `:info`: that process may still be running), or `:nemesis`. */
  process: number | Keyword;
  f: Keyword;
  value: JepsenValue;
}

export const kw = (keyword: string): Keyword => ({ keyword });

/**
 * A history as Jepsen ops in the shape of Jepsen's set model (what elle-cli's `set-full` checks): each room is part
 * of one set of messages, a message is an integer element (numbered in order of first appearance), a send is an
 * `:add` of it, and the final reads are `:read`s of every element present: the database snapshot (by a process of
 * its own, numbered after the clients) and the final view of each client that is a member of every room (a client
 * of fewer rooms cannot read the whole set). Edits and deletes are `:edit`/`:delete` of their message's element;
 * faults are `:nemesis` `:info` ops, `:start`/`:stop` with the fault's name. An operation still open at the end
 * completes as `:info`; a process runs one operation at a time and, once one ended `:info`, never another.
 */
export function jepsenOps(history: readonly HistoryEvent[]): JepsenOp[] {
  const meta = history.find((e): e is MetaEvent => e.type === 'meta');
  const clients = meta?.topology.clients ?? [];
  const userOf = new Map(clients.map((c) => [c.id, c.userId]));
  const processCount = Math.max(1, clients.length + 1);
  const processOf = new Map(clients.map((c, i) => [c.id, i]));
  const elements = new Map<string, number>();
  const byMessageId = new Map<string, number>();
  const element = (key: string) => {
    if (!elements.has(key)) elements.set(key, elements.size);
    return elements.get(key)!;
  };
  const elementOfMessage = (m: Message) => {
    const e = element(messageKey(m.roomId, m.senderId, m.clientMsgId));
    byMessageId.set(m.id, e);
    return e;
  };
  const invokes = new Map<number, { op: JepsenOp; client: string }>();
  const ops: Omit<JepsenOp, 'index'>[] = [];
  const ns = (ms: number) => Math.round(ms * 1e6);
  const processFor = (client: string) => {
    if (!processOf.has(client)) processOf.set(client, processOf.size);
    return processOf.get(client)!;
  };
  const readerProcess = () => clients.length;
  // A Jepsen process runs one operation at a time, and one whose operation ended :info may still be running it: a
  // client's next operation then takes the client's process plus the process count (Jepsen's own convention).
  const busy = new Set<number>();
  const retired = new Set<number>();
  const freeProcess = (client: string) => {
    let p = processFor(client);
    while (busy.has(p) || retired.has(p)) p += processCount;
    return p;
  };
  const everyRoom = meta?.topology.rooms ?? [];
  const readsAll = (client: string) => everyRoom.every((room) => room.members.includes(userOf.get(client) ?? client));

  for (const event of history) {
    switch (event.type) {
      case 'invoke': {
        const op = { time: ns(event.time), type: kw('invoke'), process: freeProcess(event.process), ...operation(event) } as JepsenOp;
        busy.add(op.process as number);
        invokes.set(event.op, { op, client: event.process });
        ops.push(op);
        break;
      }
      case 'complete': {
        const open = invokes.get(event.op);
        if (open === undefined) break;
        invokes.delete(event.op);
        ops.push(completion(open.op, event, ns(event.time)));
        busy.delete(open.op.process as number);
        if (event.status === 'info') retired.add(open.op.process as number);
        if (event.status === 'ok' && event.message) elementOfMessage(event.message);
        break;
      }
      case 'fault':
        ops.push({ time: ns(event.time), type: kw('info'), process: kw('nemesis'), f: kw(event.phase === 'start' ? 'start' : 'stop'), value: faultValue(event.fault, event.target) });
        break;
      case 'client-view':
        if (readsAll(event.process)) ops.push(...read(freeProcess(event.process), ns(event.time), event.rooms.flatMap((r) => r.messages)));
        break;
      case 'db-snapshot':
        ops.push(...read(readerProcess(), ns(event.time), event.messages));
        break;
      default:
        break;
    }
  }
  const end = ops.reduce((latest, op) => Math.max(latest, op.time), 0);
  for (const { op } of invokes.values()) ops.push({ ...op, time: end, type: kw('info') });
  return ops.map((op, index) => ({ index, ...op }) as JepsenOp);

  function operation(e: InvokeEvent): { f: Keyword; value: JepsenValue } {
    if (e.kind === 'send') return { f: kw('add'), value: element(messageKey(e.roomId, userOf.get(e.process) ?? e.process, e.clientMsgId ?? '')) };
    const target = e.messageId === undefined ? null : (byMessageId.get(e.messageId) ?? element(`id\u0000${e.messageId}`));
    return { f: kw(e.kind), value: target };
  }

  function read(process: number, time: number, messages: readonly Message[]): Omit<JepsenOp, 'index'>[] {
    const present = [...new Set(messages.map(elementOfMessage))].sort((a, b) => a - b);
    return [
      { time, type: kw('invoke'), process, f: kw('read'), value: null },
      { time, type: kw('ok'), process, f: kw('read'), value: present },
    ];
  }
}

function completion(invoke: JepsenOp, e: CompleteEvent, time: number): Omit<JepsenOp, 'index'> {
  return { time, type: kw(e.status), process: invoke.process, f: invoke.f, value: invoke.value };
}

function faultValue(fault: string, target: string | undefined): JepsenValue {
  return target === undefined ? fault : [fault, target];
}

function messageKey(roomId: string, senderId: string, clientMsgId: string): string {
  return `${roomId}\u0000${senderId}\u0000${clientMsgId}`;
}
