import { EnvironmentError } from '../proc/environment-error.js';

/** No MongoDB-compatible server could be found or started; the message says how to provide one (CLI exit 3). */
export class DatabaseUnavailableError extends EnvironmentError {
  override readonly name = 'DatabaseUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATABASE_UNAVAILABLE', message, options);
  }
}
