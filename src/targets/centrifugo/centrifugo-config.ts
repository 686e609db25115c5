/** Centrifugo's engine: history and idempotency results in the process's memory, or in Redis. */
export type CentrifugoEngine = 'memory' | 'redis';

/** The namespace every room's channel lives in: room `r1` is channel `room:r1`. */
export const ROOM_NAMESPACE = 'room';

export function roomChannel(roomId: string): string {
  return `${ROOM_NAMESPACE}:${roomId}`;
}

export function roomOfChannel(channel: string): string | undefined {
  const prefix = `${ROOM_NAMESPACE}:`;
  return channel.startsWith(prefix) ? channel.slice(prefix.length) : undefined;
}

export interface CentrifugoConfigOptions {
  port: number;
  apiKey: string;
  hmacSecret: string;
  engine: CentrifugoEngine;
  /** redis://host:port, for the redis engine (the broker link proxy, not Redis itself). */
  redisUrl?: string;
  /** Per room channel; small values let a scenario cross the recovery window. */
  historySize: number;
  historyTtlSeconds: number;
  /** Server-to-client ping interval: how fast a silent (blackholed) link is noticed. */
  pingIntervalMs: number;
  /**
   * How often positioning compares a subscriber's position with the stream's top: a publication lost on its way to a
   * node (a PUB/SUB link to Redis that was down) is noticed only then. Centrifugo checks at most every
   * `channel_position_check_delay` (default 40 s) and only on its per-connection periodic update, every
   * `presence_update_interval` (default 27 s); both are set to this.
   */
  positionCheckMs: number;
}

/**
 * The Centrifugo v6 configuration of a target (the v6 layout: `http_server`, `http_api`, `client`, `channel`,
 * `engine`). The room namespace has history on (`history_size`, `history_ttl`), recovery forced (a resubscribing
 * client gets what it missed, and is told whether that was all of it) and positioning forced (Centrifugo notices a
 * gap in what it delivered live and makes the client resubscribe). Any authenticated user may subscribe and read the
 * history of a room channel: in Centrifugo's model membership is the application backend's business (it would issue
 * subscription tokens), and here the adapter is that backend and subscribes a client only to its own rooms.
 */
export function centrifugoConfig(options: CentrifugoConfigOptions): Record<string, unknown> {
  const engine: Record<string, unknown> =
    options.engine === 'redis' ? { type: 'redis', redis: { address: [options.redisUrl] } } : { type: 'memory' };
  const pingSeconds = Math.max(1, Math.round(options.pingIntervalMs / 1000));
  return {
    http_server: { address: '127.0.0.1', port: options.port },
    log: { level: 'warn' },
    http_api: { key: options.apiKey },
    client: {
      token: { hmac_secret_key: options.hmacSecret },
      // Clients here are Node processes, not browsers: no Origin to check.
      allowed_origins: ['*'],
      ping_interval: `${pingSeconds}s`,
      // Half the ping interval: Centrifugo requires the pong wait to be shorter than the interval.
      pong_timeout: `${pingSeconds * 500}ms`,
      channel_position_check_delay: `${options.positionCheckMs}ms`,
      presence_update_interval: `${options.positionCheckMs}ms`,
    },
    channel: {
      namespaces: [
        {
          name: ROOM_NAMESPACE,
          history_size: options.historySize,
          history_ttl: `${options.historyTtlSeconds}s`,
          force_recovery: true,
          force_positioning: true,
          allow_subscribe_for_client: true,
          allow_history_for_subscriber: true,
        },
      ],
    },
    engine,
  };
}
