import type { Pattern, PatternParts } from './pattern.js';
import { OutboxRelay } from '../outbox-relay.js';

/**
 * The transactional outbox without a transaction: every save marks its own document as pending broadcast in the
 * same single-document write (`writes`), and returns at once. A relay broadcasts from the database and clears the
 * marks: nudged in-process after each save (the fast path), on start-up (what a crashed process left pending) and
 * every poll interval. The event bus is not used, so `bus.saturate` has nothing to reject here; a failing
 * broadcaster only delays delivery (the message stays pending and is retried with backoff).
 */
export function outboxPattern(parts: PatternParts): Pattern {
  const node = parts.node === undefined ? {} : { node: parts.node };
  const relay = new OutboxRelay({ store: parts.store, broadcaster: parts.broadcaster, log: parts.log, ...node, ...parts.outbox });
  return {
    name: 'outbox',
    // With several nodes each change names its node, whose relay publishes it (others take over after a while).
    writes: { pendingBroadcast: true, ...(parts.node === undefined ? {} : { origin: parts.node }) },
    async handle(event): Promise<void> {
      relay.notify(event);
    },
    start: () => relay.start(),
    health: () => relay.counters(),
    close: () => relay.close(),
  };
}
