/** Jepsen's exit codes (DESIGN.md §4). */
export const ExitCode = {
  /** Every guarantee holds / every expectation met. */
  Valid: 0,
  /** A guarantee was violated / an expectation was not met. */
  Violated: 1,
  /** The run could not decide. */
  Unknown: 2,
  /** Usage or environment error; the message names the fix. */
  UsageOrEnvironment: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A usage or environment problem found by a command; printed as `ackproof: <message>` with exit 3. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
