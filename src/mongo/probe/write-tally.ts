import { isDuplicateKey } from '../duplicate-key.js';

/** Sorts settled writes into acknowledged, refused by a unique index (E11000) and failed otherwise. */
export class WriteTally {
  acknowledged = 0;
  refused = 0;
  errors = 0;
  firstError: string | undefined;

  /** Records one settled write; `applied` says whether a fulfilled one reports its change as made. */
  add<T>(outcome: PromiseSettledResult<T>, applied: (value: T) => boolean = () => true): 'acknowledged' | 'refused' | 'error' | 'not-applied' {
    if (outcome.status === 'fulfilled') {
      if (!applied(outcome.value)) return 'not-applied';
      this.acknowledged++;
      return 'acknowledged';
    }
    if (isDuplicateKey(outcome.reason)) {
      this.refused++;
      return 'refused';
    }
    this.errors++;
    this.firstError ??= describeError(outcome.reason);
    return 'error';
  }

  /** The error fields of ProbeCounts. */
  errorCounts(): { errors: number; firstError?: string } {
    return this.firstError === undefined ? { errors: this.errors } : { errors: this.errors, firstError: this.firstError };
  }
}

export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const message = String(e?.message ?? error).split('\n')[0] ?? 'unknown error';
  return e?.code !== undefined ? `${String(e.code)}: ${message}` : message;
}
