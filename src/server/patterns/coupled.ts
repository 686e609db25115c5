import { ChatError } from '../../chat/chat-error.js';
import type { MessageEvent } from '../../chat/message-event.js';
import type { Pattern, PatternParts } from './pattern.js';

/**
 * The anti-pattern of DESIGN.md §0 ("before"), kept on purpose: save, then broadcast inline; a broadcast error
 * fails the request as `not_applied` although the message is stored. The harness's I4 (honest acks) catches it.
 */
export function coupledPattern(parts: PatternParts): Pattern {
  return {
    name: 'coupled',
    async handle(event: MessageEvent): Promise<void> {
      try {
        await parts.broadcaster.broadcast(event);
      } catch (error) {
        throw new ChatError(
          'internal',
          'BROADCAST_FAILED',
          `broadcast of ${event.type} failed: ${(error as Error)?.message ?? String(error)}`,
          'not_applied',
          { cause: error },
        );
      }
    },
  };
}
