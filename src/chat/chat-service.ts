import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError } from './chat-error.js';
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from './chat-limits.js';
import type { Message, RoomCursor } from './message.js';
import { messageEvent } from './message-event.js';
import type { MessageSavedHandler } from './message-saved-handler.port.js';
import type { ChangesPage, CreateResult, MessageStore, WriteOptions } from './message-store.port.js';
import type { World } from './world.js';
import { loneSurrogateAt } from './well-formed-text.js';

/**
 * The use cases: send, edit, delete, read changes. Checks membership and limits, saves through the store, then
 * hands every actual change to the saved-message handler (the pattern). Knows no HTTP, WebSocket or MongoDB.
 */
export class ChatService {
  constructor(
    private readonly store: MessageStore,
    private readonly world: World,
    private readonly onSaved: MessageSavedHandler,
    readonly limits: ChatLimits = DEFAULT_CHAT_LIMITS,
    /** Given to every write (the outbox pattern's `pendingBroadcast` goes into the saved document itself). */
    private readonly writes: WriteOptions = {},
  ) {}

  /** A retried clientMsgId returns the stored original (`created: false`) and announces nothing again. */
  async send(userId: string, roomId: string, clientMsgId: string, text: string): Promise<CreateResult> {
    this.requireMember(userId, roomId);
    if (clientMsgId.length === 0 || clientMsgId.length > this.limits.maxClientMsgIdLength) {
      throw new ValidationError(`clientMsgId must be 1-${this.limits.maxClientMsgIdLength} characters`);
    }
    requireWellFormed('clientMsgId', clientMsgId);
    this.checkText(text);
    const result = await this.store.create({ roomId, senderId: userId, clientMsgId, text }, this.writes);
    if (result.created) await this.onSaved.handle(messageEvent('message.created', result.message));
    return result;
  }

  async edit(userId: string, roomId: string, id: string, text: string): Promise<Message> {
    this.requireMember(userId, roomId);
    this.checkText(text);
    const current = await this.ownMessage(userId, roomId, id);
    if (current.deletedAt !== null) throw new ConflictError('MESSAGE_DELETED', `message "${id}" was deleted`);
    const edited = await this.store.edit(roomId, id, text, this.writes);
    if (!edited) throw messageNotFound(id, roomId);
    // Deleted by another request after the check above.
    if (!edited.changed) throw new ConflictError('MESSAGE_DELETED', `message "${id}" was deleted`);
    await this.onSaved.handle(messageEvent('message.edited', edited.message));
    return edited.message;
  }

  /** Deleting a tombstone again answers the tombstone and announces nothing. */
  async delete(userId: string, roomId: string, id: string): Promise<Message> {
    this.requireMember(userId, roomId);
    const current = await this.ownMessage(userId, roomId, id);
    if (current.deletedAt !== null) return current;
    const deleted = await this.store.softDelete(roomId, id, this.writes);
    if (!deleted) throw messageNotFound(id, roomId);
    if (deleted.changed) await this.onSaved.handle(messageEvent('message.deleted', deleted.message));
    return deleted.message;
  }

  async changes(userId: string, roomId: string, after: number, limit?: number): Promise<ChangesPage> {
    this.requireMember(userId, roomId);
    const n = limit ?? this.limits.defaultChangesLimit;
    if (!Number.isSafeInteger(after) || after < 0) throw new ValidationError('after must be an integer >= 0');
    if (!Number.isSafeInteger(n) || n < 1 || n > this.limits.maxChangesLimit) {
      throw new ValidationError(`limit must be an integer from 1 to ${this.limits.maxChangesLimit}`);
    }
    return this.store.changesAfter(roomId, after, n);
  }

  /** The room's latest seq and version, for a user allowed to see it. */
  async cursor(userId: string, roomId: string): Promise<RoomCursor> {
    this.requireMember(userId, roomId);
    return this.store.cursor(roomId);
  }

  /** Room exists and the user belongs to it; otherwise 404 ROOM_NOT_FOUND or 403 NOT_A_MEMBER. */
  requireMember(userId: string, roomId: string): void {
    if (!this.world.hasRoom(roomId)) throw new NotFoundError('ROOM_NOT_FOUND', `no room "${roomId}"`);
    if (!this.world.isMember(roomId, userId)) {
      throw new ForbiddenError('NOT_A_MEMBER', `user "${userId}" is not a member of room "${roomId}"`);
    }
  }

  private checkText(text: string): void {
    if (text.length === 0) throw new ValidationError('text must not be empty');
    requireWellFormed('text', text);
    if (text.length > this.limits.maxTextLength) {
      throw new TooLargeError('TEXT_TOO_LONG', `text is ${text.length} characters; the limit is ${this.limits.maxTextLength}`);
    }
  }

  private async ownMessage(userId: string, roomId: string, id: string): Promise<Message> {
    const message = await this.store.find(roomId, id);
    if (!message) throw messageNotFound(id, roomId);
    if (message.senderId !== userId) {
      throw new ForbiddenError('NOT_THE_SENDER', `only "${message.senderId}" may change message "${id}"`);
    }
    return message;
  }
}

/**
 * Text is stored exactly as acknowledged: a lone surrogate cannot be (BSON is UTF-8, where it becomes U+FFFD), so
 * it is refused rather than silently changed — two keys differing only there would otherwise collapse into one.
 */
function requireWellFormed(field: string, value: string): void {
  const at = loneSurrogateAt(value);
  if (at >= 0) {
    throw new ValidationError(`${field} holds a lone surrogate at index ${at} (not valid Unicode; send it as a pair or not at all)`);
  }
}

function messageNotFound(id: string, roomId: string): NotFoundError {
  return new NotFoundError('MESSAGE_NOT_FOUND', `no message "${id}" in room "${roomId}"`);
}
