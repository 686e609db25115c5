import type { Witness } from '../harness/checker/verdict.js';
import type { CompleteEvent, HistoryEvent, InvokeEvent } from '../history/event.js';

/**
 * The operations a witness names, as lines a person can find in the history: who did what, what the server answered,
 * and the JSONL line of the invoke (line 1 is the meta record), e.g.
 * `op 2 (line 9): alice send "hi" (alice-2) to general at 31 ms -> fail 500 BROADCAST_FAILED (not_applied) at 47 ms`.
 */
export function witnessOperations(history: readonly HistoryEvent[], witness: Witness): string[] {
  return (witness.ops ?? []).map((op) => {
    const line = history.findIndex((e) => e.type === 'invoke' && e.op === op);
    const invoke = history[line] as InvokeEvent | undefined;
    const complete = history.find((e): e is CompleteEvent => e.type === 'complete' && e.op === op);
    if (invoke === undefined) return `op ${op}: not in this history`;
    return `op ${op} (line ${line + 1}): ${describeInvoke(invoke)} at ${ms(invoke.time)} -> ${describeComplete(complete)}`;
  });
}

function describeInvoke(e: InvokeEvent): string {
  const text = e.text === undefined ? '' : ` ${JSON.stringify(e.text)}`;
  const key = e.clientMsgId ?? e.messageId;
  return `${e.process} ${e.kind}${text}${key === undefined ? '' : ` (${key})`} in ${e.roomId}`;
}

function describeComplete(e: CompleteEvent | undefined): string {
  if (e === undefined) return 'no outcome recorded';
  const http = e.httpStatus === undefined ? '' : ` ${e.httpStatus}`;
  const error = e.error === undefined ? '' : ` ${e.error.code}${e.error.outcome ? ` (${e.error.outcome})` : ''}`;
  return `${e.status}${http}${error} at ${ms(e.time)}`;
}

function ms(time: number): string {
  return `${Number(time.toFixed(3))} ms`;
}
