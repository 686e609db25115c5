/** Where a running `run`/`compare` is: which case of how many, which property run of how many. */
export interface Progress {
  /** 1-based. */
  caseNumber: number;
  caseCount: number;
  scenario: string;
  pattern: string;
  /** 1-based; the run that is executing, or the failing run being shrunk. */
  run: number;
  runs: number;
  phase?: 'running' | 'shrinking';
}

/** `[3/10] broadcast-throws / coupled run 42/100`, or `… shrinking run 42/100` while a failure is minimized. */
export function formatProgress(progress: Progress): string {
  const verb = progress.phase === 'shrinking' ? 'shrinking run' : 'run';
  return `[${progress.caseNumber}/${progress.caseCount}] ${progress.scenario} / ${progress.pattern} ${verb} ${progress.run}/${progress.runs}`;
}
