import { LRUCache } from 'lru-cache';
import type { MessageEvent } from '../../chat/message-event.js';

/**
 * Remembers the changes (message id and version) a node delivered recently, so a change published twice — two
 * nodes' outbox relays both found it pending — reaches this node's members once. Bounded: an old repeat beyond it
 * is delivered again, which clients drop by id and version anyway.
 */
export class DeliveredOnce {
  readonly #seen: LRUCache<string, true>;
  #repeats = 0;

  constructor(max = 100_000) {
    this.#seen = new LRUCache({ max });
  }

  /** True the first time this change is seen. */
  first(event: MessageEvent): boolean {
    const key = `${event.message.id}@${event.message.version}`;
    if (this.#seen.has(key)) {
      this.#repeats++;
      return false;
    }
    this.#seen.set(key, true);
    return true;
  }

  get repeats(): number {
    return this.#repeats;
  }
}
