import type { MessageEvent } from '../../chat/message-event.js';
import { decodeEnvelope, encodeEnvelope } from './fanout-envelope.js';
import type { Fanout, FanoutSink } from './fanout.js';
import { redisConnection, type RedisConnection } from './redis-connection.js';

export interface RedisPubSubFanoutOptions {
  redisUrl: string;
  nodeId: string;
  channel?: string;
  log?: (line: string) => void;
}

/**
 * Fan-out through Redis Pub/Sub: the weak twin, kept to show what it loses. PUBLISH succeeds once Redis has it, but
 * a node that is disconnected meanwhile never gets it (at most once): its members only recover by catching up from
 * the database when they notice (a heartbeat's latest version, a reconnect).
 */
export class RedisPubSubFanout implements Fanout {
  readonly mode = 'redis-pubsub' as const;
  readonly #channel: string;
  readonly #publisher: RedisConnection;
  readonly #subscriber: RedisConnection;
  readonly #counts = { published: 0, publishFailures: 0, consumed: 0, receivers: 0 };

  constructor(private readonly options: RedisPubSubFanoutOptions) {
    this.#channel = options.channel ?? 'ackproof:changes';
    const log = options.log ?? (() => undefined);
    this.#publisher = redisConnection(options.redisUrl, `${options.nodeId}-publish`, log);
    this.#subscriber = redisConnection(options.redisUrl, `${options.nodeId}-subscribe`, log);
  }

  async broadcast(event: MessageEvent): Promise<void> {
    try {
      // How many subscribers (nodes) were connected to receive it: a node missing here has lost it for good.
      this.#counts.receivers = await this.#publisher.publish(this.#channel, encodeEnvelope({ node: this.options.nodeId, event }));
      this.#counts.published++;
    } catch (error) {
      this.#counts.publishFailures++;
      throw error;
    }
  }

  async start(sink: FanoutSink): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(this.#channel, (text: string) => {
      const envelope = decodeEnvelope(text);
      if (!envelope) return;
      this.#counts.consumed++;
      void sink.deliver(envelope.event).catch(() => undefined);
    });
  }

  health(): object {
    return { mode: this.mode, node: this.options.nodeId, ...this.#counts };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#publisher.close(), this.#subscriber.close()]);
  }
}
