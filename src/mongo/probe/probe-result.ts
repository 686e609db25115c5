import type { PropertyId } from './probe-properties.js';

/** `holds` (no anomaly seen), `broken` (the database broke the guarantee), `unknown` (the probe could not decide). */
export type PropertyVerdict = 'holds' | 'broken' | 'unknown';

/** What one probe counted; plain data, judged by `judgeProperty`. */
export interface ProbeCounts {
  /** Concurrent writes issued. */
  attempts: number;
  /** Documents or keys raced on. */
  rounds: number;
  /** Writes the database acknowledged as applied (for inserts: the winners). */
  acknowledged: number;
  /** Acknowledged writes whose effect is missing when read back. */
  lost: number;
  /** Keys with more than one winner, or more than one document. */
  doubleWinners: number;
  /** Keys every insert of which was refused as a duplicate although none was stored. */
  noWinner: number;
  /** Writes refused as duplicates (E11000 means nothing was written) whose document was stored anyway. */
  phantoms: number;
  /** Writes that failed with anything but the expected duplicate-key refusal (E11000). */
  errors: number;
  /** The first such error, as `code: message`. */
  firstError?: string;
  /** What the probe saw in its own terms, e.g. `n ended at 10 after 200 acknowledged increments`. */
  detail?: string;
}

/** One property's outcome: its counts (absent when the probe itself failed) and the verdict with its reason. */
export interface PropertyResult {
  property: PropertyId;
  verdict: PropertyVerdict;
  /** One sentence: what was seen (broken), why it could not decide (unknown), or what was checked (holds). */
  reason: string;
  counts?: ProbeCounts;
  durationMs: number;
}

/** One probe of one database: the plain result `probe-db --json` prints and the cache stores. */
export interface DbProbeResult {
  /** The server's own identity and version, e.g. `FerretDB v1.24.2 (MongoDB 7.0.42 wire)` (the cache key). */
  database: string;
  /** When it was measured (ISO). */
  measuredAt: string;
  durationMs: number;
  /** Over all properties: broken beats unknown beats holds. */
  verdict: PropertyVerdict;
  properties: PropertyResult[];
}
