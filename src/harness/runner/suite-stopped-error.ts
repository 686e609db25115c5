import type { RunResult } from '../result/result-model.js';
import type { EnvironmentError } from '../../proc/environment-error.js';

/**
 * The suite stopped early because the environment failed under it (a server that cannot start, a database that
 * went away): every later case would fail the same way. Carries what was decided so far, for the reports.
 */
export class SuiteStoppedError extends Error {
  override readonly name = 'SuiteStoppedError';
  constructor(
    readonly result: RunResult,
    readonly reason: EnvironmentError,
  ) {
    super(reason.message, { cause: reason });
  }
}
