/**
 * A scenario asks for something this setup cannot do (e.g. `db.kill` on a database ackproof did not start): the
 * case is skipped as undecided with this reason, never a crash of the suite.
 */
export class NotSupportedError extends Error {
  override readonly name = 'NotSupportedError';
  readonly code = 'NOT_SUPPORTED';
}
