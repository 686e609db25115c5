/**
 * The properties `ackproof probe-db` measures: each is a guarantee MongoDB documents for single-document writes
 * (every single-document write is atomic; a unique index admits one document per key), and each is one
 * concurrency primitive a chat store may rest on.
 */
export const PROPERTY_IDS = [
  'concurrent-inc',
  'cas-vs-other-field',
  'unique-insert-race',
  'concurrent-upsert',
  'unique-compound-insert',
] as const;

export type PropertyId = (typeof PROPERTY_IDS)[number];

export interface PropertyDescription {
  /** A short name for tables. */
  title: string;
  /** What the probe does, in one line. */
  method: string;
  /** What a broken property means for a chat store, in one sentence. */
  meaning: string;
}

export const PROPERTIES: Readonly<Record<PropertyId, PropertyDescription>> = {
  'concurrent-inc': {
    title: 'concurrent $inc',
    method: 'many concurrent updateOne({_id}, {$inc: {n: 1}}) on one document; every acknowledged increment must count',
    meaning:
      'a counter several writers bump at once (a per-room seq or version) can hand out one number twice, so two messages share a seq.',
  },
  'cas-vs-other-field': {
    title: 'compare-and-set vs another update',
    method: 'per document, updateOne({_id, v: 0}, {$set: {text, v: 1}}) racing updateOne({_id}, {$set: {flag: true}}); both must stick',
    meaning:
      'an acknowledged edit or delete written as a conditional update can be overwritten by a concurrent update of another field (a relay clearing its mark), so the database keeps the old text.',
  },
  'unique-insert-race': {
    title: 'unique insert: one winner',
    method: 'per key, concurrent insertOne of one value of a uniquely indexed field; exactly one may succeed, the rest get E11000',
    meaning:
      'an idempotency key (clientMsgId) admits exactly one message, so a retried or concurrent send can never store a twin.',
  },
  'concurrent-upsert': {
    title: 'concurrent upsert of one key',
    method: 'per key (unique index), concurrent updateOne({key}, {$set: {<own field>: true}}, {upsert: true}); one document, every acknowledged field kept',
    meaning:
      'a create-or-update of one document (a room head, a read marker) by several writers can lose a writer\'s change or create twins.',
  },
  'unique-compound-insert': {
    title: 'unique compound insert: one winner per key',
    method: 'concurrent insertOne of (roomId, version) pairs under a unique compound index; exactly one winner per pair, one for every pair',
    meaning:
      'appending a change at (roomId, version) hands each version to exactly one writer, so no seq or version is handed out twice.',
  },
};
