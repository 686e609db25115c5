import type { Message } from '../chat/message.js';

/** What applying one message state did to the view. */
export type ApplyResult =
  /** first time this id was seen */
  | 'added'
  /** a newer version of a known message replaced the older one */
  | 'updated'
  /** the same id at the same version again (an at-least-once duplicate) */
  | 'duplicate'
  /** an older version than the one held (a late broadcast after a newer page); ignored */
  | 'stale';

/**
 * The messages a client shows, per room, keyed by message id. Broadcasts are at least once and may arrive after a
 * catch-up page already brought a newer state, so the view dedupes by id and keeps the highest `version`; deleted
 * messages stay as tombstones (their final state is what convergence compares).
 */
export class LocalView {
  readonly #rooms = new Map<string, Map<string, Message>>();

  apply(message: Message): ApplyResult {
    let room = this.#rooms.get(message.roomId);
    if (!room) {
      room = new Map();
      this.#rooms.set(message.roomId, room);
    }
    const held = room.get(message.id);
    if (!held) {
      room.set(message.id, message);
      return 'added';
    }
    if (message.version > held.version) {
      room.set(message.id, message);
      return 'updated';
    }
    return message.version === held.version ? 'duplicate' : 'stale';
  }

  get(roomId: string, messageId: string): Message | undefined {
    return this.#rooms.get(roomId)?.get(messageId);
  }

  /** The room's messages in `seq` order (ties, a server bug the checker reports, broken by id for a stable output). */
  messages(roomId: string): Message[] {
    const room = this.#rooms.get(roomId);
    if (!room) return [];
    return [...room.values()].sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The ClientViewEvent's `rooms`: the given rooms (empty ones included) in the given order, else every room held. */
  snapshot(roomIds?: readonly string[]): { roomId: string; messages: Message[] }[] {
    const ids = roomIds ?? [...this.#rooms.keys()];
    return ids.map((roomId) => ({ roomId, messages: this.messages(roomId) }));
  }
}
