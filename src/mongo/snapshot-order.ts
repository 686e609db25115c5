import type { Message } from '../chat/message.js';

/** A stored timestamp as the wire's ISO 8601 string (a string stays as it is); absent or null is null. */
export function isoOrNull(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value);
}

/** A snapshot's messages in the order of the rooms asked for, then by seq. */
export function inRoomOrder(messages: Message[], roomIds: readonly string[]): Message[] {
  const order = new Map(roomIds.map((roomId, i) => [roomId, i]));
  return messages.sort((a, b) => (order.get(a.roomId) ?? 0) - (order.get(b.roomId) ?? 0) || a.seq - b.seq);
}
