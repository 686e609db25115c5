import type { Broadcaster } from '../../chat/broadcaster.port.js';
import type { MessageEvent } from '../../chat/message-event.js';
import type { MessageSavedHandler } from '../../chat/message-saved-handler.port.js';
import type { MessageStore, WriteOptions } from '../../chat/message-store.port.js';
import type { EventBus } from '../event-bus.js';
import type { OutboxRelayTiming } from '../outbox-relay.js';

/** The parts every pattern composes; a pattern only decides how they are wired after a save. */
export interface PatternParts {
  broadcaster: Broadcaster;
  bus: EventBus<MessageEvent>;
  store: MessageStore;
  log: (line: string) => void;
  /** The outbox relay's timing (used by the outbox pattern only). */
  outbox?: OutboxRelayTiming;
  /** This node's id when several nodes share the database (`serve --node-id`). */
  node?: string;
}

export interface Pattern extends MessageSavedHandler {
  readonly name: string;
  /** What every write carries (the outbox's pending mark); none by default. */
  readonly writes?: WriteOptions;
  /** Starts background work once the server listens (the outbox relay's start-up pass). */
  start?(): void;
  /** What /healthz adds under the pattern's name. */
  health?(): Promise<object>;
  /** Stops background work (graceful shutdown). */
  close?(): Promise<void>;
}

export type PatternFactory = (parts: PatternParts) => Pattern;
