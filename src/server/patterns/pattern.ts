import type { Broadcaster } from '../../chat/broadcaster.port.js';
import type { MessageEvent } from '../../chat/message-event.js';
import type { MessageSavedHandler } from '../../chat/message-saved-handler.port.js';
import type { EventBus } from '../event-bus.js';

/** The parts every pattern composes; a pattern only decides how they are wired after a save. */
export interface PatternParts {
  broadcaster: Broadcaster;
  bus: EventBus<MessageEvent>;
  log: (line: string) => void;
}

export interface Pattern extends MessageSavedHandler {
  readonly name: string;
}

export type PatternFactory = (parts: PatternParts) => Pattern;
