import type { ProcessExit } from './process-exit.js';

export type ProcessStartFailure = 'SPAWN_FAILED' | 'EXITED_BEFORE_READY' | 'NOT_READY';

/**
 * A child process that did not get ready: it could not be spawned (`errno`, e.g. ENOENT for a missing binary), it
 * exited first (`exit`), or it said nothing ready within its deadline. `stderrTail` is what it wrote last.
 */
export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
  constructor(
    readonly code: ProcessStartFailure,
    message: string,
    readonly details: { process: string; exit?: ProcessExit; errno?: string; stderrTail: string[] },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
