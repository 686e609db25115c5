/**
 * The machine ackproof runs on lacks something it needs (no database, a binary missing, a port that cannot be
 * bound): not a verdict about the system under test. The message names the fix; the CLI prints it and exits 3.
 */
export class EnvironmentError extends Error {
  override readonly name: string = 'EnvironmentError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
