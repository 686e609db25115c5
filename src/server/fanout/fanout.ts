import type { Broadcaster } from '../../chat/broadcaster.port.js';
import type { MessageEvent } from '../../chat/message-event.js';

/** How saved changes reach the members connected to other server nodes (`serve --fanout`). */
export const FANOUT_MODES = ['none', 'redis-pubsub', 'redis-streams'] as const;
export type FanoutMode = (typeof FANOUT_MODES)[number];

export function isFanoutMode(name: string): name is FanoutMode {
  return (FANOUT_MODES as readonly string[]).includes(name);
}

/** What a node does with what the broker brings: deliver to its own sockets, or notice it missed some. */
export interface FanoutSink {
  /** One event for this node's members (each (message, version) at most once per node). */
  deliver(event: MessageEvent): Promise<void>;
  /** Events may have been lost on the way (a trimmed stream): members should check their cursors now. */
  missed(reason: string): void;
}

/**
 * A broker between nodes, seen by the patterns as their Broadcaster: `broadcast` publishes (it resolves once the
 * broker holds the event, and rejects when it cannot — so the outbox keeps the change pending), and every node,
 * the publisher included, delivers what it consumes to its own sockets.
 */
export interface Fanout extends Broadcaster {
  readonly mode: Exclude<FanoutMode, 'none'>;
  start(sink: FanoutSink): Promise<void>;
  health(): object;
  close(): Promise<void>;
}
