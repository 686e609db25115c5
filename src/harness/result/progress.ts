/** Where a running `run`/`compare` is: which case of how many, which property run of how many. */
export interface Progress {
  /** 1-based. */
  caseNumber: number;
  caseCount: number;
  scenario: string;
  target: string;
  /** 1-based; the run that is executing, or the failing run being shrunk. */
  run: number;
  runs: number;
  phase?: 'running' | 'shrinking';
  /** While shrinking: how many smaller candidates have been tried (a count with no total: shrinking has none). */
  shrinkStep?: number;
}
