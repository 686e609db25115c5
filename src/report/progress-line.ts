import type { Progress } from '../harness/result/progress.js';

export type { Progress };

/**
 * `[3/10] broadcast-throws / coupled run 42/100`, or `… run 3/100 failed, shrinking: step 12` while a failure is
 * minimized. The run never reads past its total: shrink candidates are steps, not runs.
 */
export function formatProgress(progress: Progress): string {
  const where = `[${progress.caseNumber}/${progress.caseCount}] ${progress.scenario} / ${progress.target}`;
  const run = `run ${Math.min(progress.run, progress.runs)}/${progress.runs}`;
  if (progress.phase !== 'shrinking') return `${where} ${run}`;
  return `${where} ${run} failed, shrinking${progress.shrinkStep !== undefined ? `: step ${progress.shrinkStep}` : ''}`;
}
