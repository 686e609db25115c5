import type { MessageEvent } from './message-event.js';

/**
 * What happens after a message is saved, before the request is answered: the seam where the server's patterns
 * differ (broadcast inline, publish on a bus, ...). A rejection fails the request although the save happened.
 */
export interface MessageSavedHandler {
  handle(event: MessageEvent): Promise<void>;
}
