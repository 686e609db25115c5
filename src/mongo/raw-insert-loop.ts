import { openRawMessages } from './raw-messages.js';
import type { WriteConcernSetting } from './write-concern.js';

export interface RawInsertLoopOptions {
  uri: string;
  dbName: string;
  writeConcern?: WriteConcernSetting;
  /** Inserts in flight at once. */
  concurrency: number;
  /** How long to keep inserting (and counting). */
  durationMs: number;
  /** Inserts made first and not counted (connections opened, code warmed up), as the server run gets. */
  warmupMs?: number;
  /** Called when the counted part begins and ends (a benchmark measures CPU in between). */
  onCounting?: { begin(): void; end(): void };
  /** Bytes of text per document, so the documents are the size the server stores. */
  textBytes: number;
}

export interface RawInsertRate {
  inserts: number;
  elapsedMs: number;
  perSecond: number;
}

/**
 * The baseline a server's persisted acks are measured against: bare `insertOne` of a message-shaped document with
 * the same write concern and concurrency, no other work.
 */
export async function rawInsertLoop(options: RawInsertLoopOptions): Promise<RawInsertRate> {
  const messages = await openRawMessages({ ...options, maxPoolSize: options.concurrency });
  try {
    const text = 'x'.repeat(options.textBytes);
    let inserts = 0;
    let round = 0;
    const run = async (durationMs: number) => {
      const deadline = performance.now() + durationMs;
      const prefix = round++;
      await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w, prefix, deadline)));
    };
    const worker = async (w: number, prefix: number, deadline: number) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await messages.insert({ roomId: `raw-${w % 8}`, senderId: `w${w}`, clientMsgId: `${prefix}-${w}-${i}`, text, seq: i });
        inserts++;
      }
    };
    if (options.warmupMs) await run(options.warmupMs);
    inserts = 0;
    options.onCounting?.begin();
    const started = performance.now();
    await run(options.durationMs);
    const elapsedMs = performance.now() - started;
    options.onCounting?.end();
    return { inserts, elapsedMs, perSecond: (inserts * 1000) / elapsedMs };
  } finally {
    await messages.close();
  }
}
