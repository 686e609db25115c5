/** Jepsen's exit codes (DESIGN.md §4), and the shell's for a run stopped by a signal. */
export const ExitCode = {
  /** Every guarantee holds / every expectation met. */
  Valid: 0,
  /** A guarantee was violated / an expectation was not met. */
  Violated: 1,
  /** The run could not decide. */
  Unknown: 2,
  /** Usage or environment error; the message names the fix. */
  UsageOrEnvironment: 3,
  /** Stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM, after writing what it had: 128 + the signal's number. */
  Hangup: 129,
  Interrupted: 130,
  Terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of a run stopped by `signal` (as a shell reports a process the signal ended). */
export function exitCodeOfSignal(signal: NodeJS.Signals): ExitCodeValue {
  if (signal === 'SIGHUP') return ExitCode.Hangup;
  return signal === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted;
}

/** A usage or environment problem found by a command; printed as `ackproof: <message>` with exit 3. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
