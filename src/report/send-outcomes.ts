import type { CompleteEvent, HistoryEvent, InvokeEvent } from '../history/event.js';
import { historyOrigin } from './fault-windows.js';

/** One send of a history, for the ack latency chart: when it left, and how long its acknowledgment took, if any. */
export interface SendOutcome {
  op: number;
  process: string;
  clientMsgId?: string;
  /** ms since the history's origin (its first event). */
  sentMs: number;
  /** ok = acknowledged; fail = reported failed; info = unknown, including no reply before the history ended. */
  status: CompleteEvent['status'];
  /** complete - invoke of an acknowledged send (as the checker's ack latency); null for every other. */
  latencyMs: number | null;
  /** `ok 201`, `fail 500 BROADCAST_FAILED`, `info TIMEOUT`, `no reply`. */
  outcome: string;
}

export function sendOutcomes(history: readonly HistoryEvent[], origin = historyOrigin(history)): SendOutcome[] {
  const invokes = new Map<number, InvokeEvent>();
  const sends: SendOutcome[] = [];
  for (const event of history) {
    if (event.type === 'invoke' && event.kind === 'send') invokes.set(event.op, event);
    if (event.type !== 'complete') continue;
    const invoke = invokes.get(event.op);
    if (invoke === undefined) continue;
    invokes.delete(event.op);
    const code = event.status === 'ok' ? '' : (event.error?.code ?? '');
    sends.push({
      ...base(invoke, origin),
      status: event.status,
      latencyMs: event.status === 'ok' ? event.time - invoke.time : null,
      outcome: [event.status, event.httpStatus ?? '', code].filter((part) => part !== '').join(' '),
    });
  }
  for (const invoke of invokes.values()) sends.push({ ...base(invoke, origin), status: 'info', latencyMs: null, outcome: 'no reply' });
  return sends.sort((a, b) => a.sentMs - b.sentMs || a.op - b.op);
}

function base(invoke: InvokeEvent, origin: number): Pick<SendOutcome, 'op' | 'process' | 'clientMsgId' | 'sentMs'> {
  return { op: invoke.op, process: invoke.process, ...(invoke.clientMsgId ? { clientMsgId: invoke.clientMsgId } : {}), sentMs: invoke.time - origin };
}
