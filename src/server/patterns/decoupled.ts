import type { MessageEvent } from '../../chat/message-event.js';
import type { Pattern, PatternParts } from './pattern.js';

/**
 * DESIGN.md §0's "after": save, publish a domain event, return at once. A bus listener broadcasts on its own;
 * its failures and the bus's rejections are only logged and counted (/healthz), never reported to the sender.
 */
export function decoupledPattern(parts: PatternParts): Pattern {
  parts.bus.subscribe('websocket', (event) => parts.broadcaster.broadcast(event));
  return {
    name: 'decoupled',
    async handle(event: MessageEvent): Promise<void> {
      parts.bus.publish(event);
    },
  };
}
