/** How a child process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `code 3` or `SIGKILL`, for messages. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal ?? `code ${exit.code}`;
}
