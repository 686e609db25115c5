import type { MessageEvent } from './message-event.js';

/** Delivers a saved message's event live to the subscribed members of its room (the WebSocket gateway). */
export interface Broadcaster {
  /** Rejects when the broadcast failed; which members got it is then unspecified. */
  broadcast(event: MessageEvent): Promise<void>;
}
