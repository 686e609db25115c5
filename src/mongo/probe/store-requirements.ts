import type { PatternName } from '../../server/patterns/pattern-registry.js';
import type { PropertyId } from './probe-properties.js';

/**
 * THE one place that says which database properties the reference store needs, per pattern. `serve` (and so `run`
 * and `compare`) refuses a database that breaks one of these, unless `--unsafe-database` is given; `probe-db` shows
 * them as "needed by". The append-only per-room change log's only concurrency primitive is an insert a unique index
 * can refuse: the idempotency key `(roomId, senderId, clientMsgId)` and each change at `(roomId, version)`.
 * (The store before it also needed concurrent-inc and concurrent-upsert for its room counters and
 * cas-vs-other-field for edits, deletes and the outbox relay's marks, which FerretDB v1.24.2 breaks.)
 */
export const STORE_REQUIREMENTS = {
  coupled: ['unique-insert-race', 'unique-compound-insert'],
  decoupled: ['unique-insert-race', 'unique-compound-insert'],
  outbox: ['unique-insert-race', 'unique-compound-insert'],
} as const satisfies Record<PatternName, readonly PropertyId[]>;

/** A table of the same shape; tests inject their own. */
export type StoreRequirements = Readonly<Record<string, readonly PropertyId[]>>;
