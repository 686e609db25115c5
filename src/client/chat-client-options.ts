import type { HistoryEvent } from '../history/event.js';

export interface ChatClientOptions {
  /** The client's id in the history (`process`). */
  id: string;
  userId: string;
  token: string;
  /** e.g. `http://127.0.0.1:4000` */
  httpUrl: string;
  /** e.g. `ws://127.0.0.1:4000/ws` */
  wsUrl: string;
  /** The rooms this client subscribes to, catches up and shows. */
  rooms: readonly string[];
  /**
   * Every event this client sees or causes (invokes, completions, broadcasts, catch-ups, connections): the client
   * only reports them; whoever drives it (the harness's runner) decides what to record.
   */
  emit: (event: HistoryEvent) => void;
  /** The run's clock, milliseconds since the run started. */
  now: () => number;
  /** The run's op-id allocator (unique per history). */
  nextOp: () => number;
  /** Per HTTP request, and for the WebSocket handshake and `subscribed` answer. Default 5000. */
  requestTimeoutMs?: number;
  /** Extra attempts of a send whose outcome was `info` (or a transient refusal), with the same clientMsgId. Default 2. */
  retries?: number;
  /** First pause before a retried send or a repeated final catch-up; doubles each time. Default 50. */
  retryBackoffMs?: number;
  /** Reconnect after an unexpected close, after `backoffMs`, doubling up to `maxBackoffMs`. Default on, 100, 2000. */
  reconnect?: { auto: boolean; backoffMs: number; maxBackoffMs?: number };
  /** Fill a detected gap from the changes API at once (issue 5). Default true. */
  gapFill?: boolean;
  /** `limit` of each changes page. Default 100. */
  pageLimit?: number;
  /** Close a socket that received no frame (heartbeats included) for this long; 0 = never. Default 0. */
  idleTimeoutMs?: number;
  /**
   * List every room twice in subscribe frames, as a sloppy real client does: the server must answer and deliver as
   * for one. Default false.
   */
  duplicateSubscriptions?: boolean;
  /** Extra final catch-up passes while a room still has unexplained versions (a late commit may be landing). Default 3. */
  finalRereads?: number;
}

/** The options with every default filled in. */
export type ResolvedClientOptions = Required<Omit<ChatClientOptions, 'reconnect'>> & {
  reconnect: Required<NonNullable<ChatClientOptions['reconnect']>>;
};

/** Checks the numeric options (a RangeError naming the client and the option) and fills in the defaults. */
export function resolveClientOptions(options: ChatClientOptions): ResolvedClientOptions {
  const numbers: [string, number | undefined, number][] = [
    ['requestTimeoutMs', options.requestTimeoutMs, 1],
    ['pageLimit', options.pageLimit, 1],
    ['retries', options.retries, 0],
    ['retryBackoffMs', options.retryBackoffMs, 0],
    ['idleTimeoutMs', options.idleTimeoutMs, 0],
    ['finalRereads', options.finalRereads, 0],
    ['reconnect.backoffMs', options.reconnect?.backoffMs, 0],
    ['reconnect.maxBackoffMs', options.reconnect?.maxBackoffMs, 0],
  ];
  for (const [name, value, min] of numbers) {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new RangeError(`ChatClient ${options.id}: ${name} must be an integer >= ${min}, got ${value}`);
    }
  }
  return {
    ...options,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    retries: options.retries ?? 2,
    retryBackoffMs: options.retryBackoffMs ?? 50,
    reconnect: {
      auto: options.reconnect?.auto ?? true,
      backoffMs: options.reconnect?.backoffMs ?? 100,
      maxBackoffMs: options.reconnect?.maxBackoffMs ?? 2000,
    },
    gapFill: options.gapFill ?? true,
    pageLimit: options.pageLimit ?? 100,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    finalRereads: options.finalRereads ?? 3,
    duplicateSubscriptions: options.duplicateSubscriptions ?? false,
  };
}
