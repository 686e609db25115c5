import type { CaseResult, RunResult } from '../harness/result/result-model.js';

/**
 * Why an undecided case could not decide, one sentence for every report: its machinery failed, the setup could
 * not run it, or it was stopped. It says so, so nobody reads UNKNOWN as a verdict on the system under test.
 */
export function caseErrorSentence(error: NonNullable<CaseResult['error']>): string {
  if (error.code === 'NOT_SUPPORTED') return `Not run here (${error.code}): ${error.message}`;
  if (error.code === 'INTERRUPTED') return `Stopped before it could decide (${error.code}): ${error.message}`;
  return `Not decided: ackproof's own machinery failed (${error.code}): ${error.message}`;
}

/** For an interrupted run: what the reports hold. */
export function interruptedSentence(result: RunResult): string {
  const n = result.cases.length;
  return `interrupted by a signal after ${n} ${n === 1 ? 'case' : 'cases'}; the cases not started are not in this report`;
}
