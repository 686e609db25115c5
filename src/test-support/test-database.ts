import { createHash } from 'node:crypto';
import { inject } from 'vitest';

/** The run's database server URI (from the global setup). */
export function mongoUri(): string {
  return inject('mongoUri');
}

/**
 * A database name of its own for a test file (or a test within it): FerretDB accepts ^[a-zA-Z0-9_-]{1,63}$, so
 * the name is a short hash of the label plus a random suffix.
 */
export function uniqueDatabaseName(label: string): string {
  const hash = createHash('sha1').update(label).digest('hex').slice(0, 10);
  return `t_${hash}_${Math.random().toString(36).slice(2, 10)}`;
}
