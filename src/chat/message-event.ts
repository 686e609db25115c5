import type { Message, MessageEventType } from './message.js';

/**
 * A domain event: a message was saved (created, edited or deleted). It carries the saved message, as the source
 * design's `MessageEditedEvent` does (DESIGN.md §0), so a listener never has to read the store again.
 */
export interface MessageEvent {
  type: MessageEventType;
  message: Message;
}

export function messageEvent(type: MessageEventType, message: Message): MessageEvent {
  return { type, message };
}
