import type { DatabaseProbeSummary } from './probe-summary.js';
import { shortCounts } from './probe-summary.js';

/** The flag (and its environment variable, which `run`/`compare` children inherit) that runs a store on a database that breaks what it needs. */
export const UNSAFE_DATABASE_FLAG = '--unsafe-database';
export const UNSAFE_DATABASE_ENV = 'ACKPROOF_UNSAFE_DATABASE';

/**
 * Why the reference store must not run on this database, naming the broken property, what it means, and the fix;
 * undefined when nothing it needs is broken or the run was explicitly allowed (`summary.unsafe`).
 */
export function databaseRefusal(summary: DatabaseProbeSummary): string | undefined {
  if (summary.unmet.broken.length === 0 || summary.unsafe) return undefined;
  const broken = summary.properties.filter((p) => summary.unmet.broken.includes(p.property));
  const what = broken
    .map((p) => `${p.property} (${p.counts ? shortCounts(p.counts) : 'broken'}; needed by ${p.requiredBy.join(', ')}): ${p.meaning}`)
    .join(' ');
  return (
    `the database ${summary.database} breaks what the reference store needs, so its verdicts would be about the database, not the pattern. ${what} ` +
    `To fix: run on a database where it holds (MongoDB does; \`ackproof probe-db --mongo-uri URI\` checks one), or pass ${UNSAFE_DATABASE_FLAG} ` +
    `(or set ${UNSAFE_DATABASE_ENV}=1) to run anyway, marked UNSAFE in the log, /healthz and every report.`
  );
}
