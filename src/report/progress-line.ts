import type { Progress } from '../harness/result/progress.js';

export type { Progress };

/** `[3/10] broadcast-throws / coupled run 42/100`, or `… shrinking run 42/100` while a failure is minimized. */
export function formatProgress(progress: Progress): string {
  const verb = progress.phase === 'shrinking' ? 'shrinking run' : 'run';
  return `[${progress.caseNumber}/${progress.caseCount}] ${progress.scenario} / ${progress.target} ${verb} ${progress.run}/${progress.runs}`;
}
