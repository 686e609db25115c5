/**
 * The toxic model of the TCP fault proxy, in Toxiproxy's vocabulary: a toxic is named, acts on one stream of every
 * connection it targets (`upstream` = client -> target, `downstream` = target -> client), and can be removed
 * ("healed") at any time, which restores the normal flow for existing and new connections.
 */
export type ToxicStream = 'upstream' | 'downstream';

export type ToxicType = 'latency' | 'blackhole' | 'reset_peer' | 'slow_close' | 'limit_data' | 'response_lost';

/**
 * Which connections a toxic acts on. `all`, or the connections carrying a label (see `TcpProxy` for how a
 * connection gets one), or one connection by its proxy id, or the connection whose client used this local port.
 * Evaluated per chunk, so a connection labelled after it opened is covered from then on.
 */
export type ConnectionSelector = 'all' | { label: string } | { connectionId: number } | { clientPort: number };

/** Plain data: what `TcpProxy.addToxic` takes and `TcpProxy.toxics()` lists. */
export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  /** Per type, e.g. `{latency: 200, jitter: 50}`; see each file in `toxics/`. */
  attributes?: Record<string, unknown>;
  /** Defaults to `all`. */
  target?: ConnectionSelector;
}

/** What a toxic may see of, and do to, one proxied connection. */
export interface ToxicLink {
  readonly id: number;
  readonly label: string | undefined;
  readonly clientPort: number;
  /** True once the link was reset or closed by the proxy. */
  readonly closed: boolean;
  /** RST both sides at once (`socket.resetAndDestroy()`), dropping whatever is held. */
  reset(): void;
  /** Close both sides (FIN) once the chunk being processed now has been written. */
  closeAfterCurrentChunk(): void;
}

/**
 * A toxic instance inside a proxy. Hooks are optional: a toxic implements only what it needs (as Toxiproxy's
 * optional toxic interfaces). State per connection is the toxic's own business (keyed by link).
 */
export interface Toxic {
  readonly spec: Readonly<Required<Pick<ToxicSpec, 'name' | 'type' | 'stream'>>> & { target: ConnectionSelector };
  /**
   * A chunk flowing in the toxic's stream, received by the proxy at `receivedAt` (ms, `Date.now()`); returns what
   * to pass on (`null` drops it). May wait: chunks of a stream are processed one at a time, so order is kept.
   */
  transform?(chunk: Buffer, link: ToxicLink, receivedAt: number): Buffer | null | Promise<Buffer | null>;
  /** A chunk flowing the other way, about to be written unchanged; for toxics that react to the conversation. */
  observe?(chunk: Buffer, link: ToxicLink): void;
  /** The toxic's stream reached its end (the sender's FIN); resolves when the FIN may be passed on. */
  beforeEnd?(link: ToxicLink): void | Promise<void>;
  /** The toxic now applies to this link: it was added while the link was open, or the link opened or was labelled. */
  attach?(link: ToxicLink): void;
  /** Removed: release held data and cancel timers so the normal flow resumes. */
  heal(): void;
}
