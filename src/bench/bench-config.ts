/** Sizes of one bench run; every one can be overridden by an environment variable of the same name. */
export interface BenchConfig {
  /** Room sizes of figure 1 (subscribed member sockets). */
  ACK_ROOM_SIZES: number[];
  /** Acknowledged sends timed per pattern and room size. */
  ACK_SENDS: number;
  /** Sends started per second in figure 1 (open loop, so a slow answer cannot hide the next one's wait). */
  ACK_RATE: number;
  /** Rounds of figure 1: every room size once per round (fresh server each), samples pooled, each round's ratio kept for the spread. */
  ACK_ROUNDS: number;
  /** Sends in flight in figure 2, and the rooms they are spread over. */
  THROUGHPUT_CONCURRENCY: number;
  THROUGHPUT_ROOMS: number;
  THROUGHPUT_MS: number;
  /** Subscribers and messages of figure 3; senders in flight. */
  FANOUT_SUBSCRIBERS: number;
  FANOUT_MESSAGES: number;
  FANOUT_CONCURRENCY: number;
  /** Figure 5: sockets in the big room and small messages sent there; large (12 KB) messages to the stalled consumer's room. */
  MEMORY_SOCKETS: number;
  MEMORY_MESSAGES: number;
  MEMORY_HEAVY_MESSAGES: number;
  /** Figure 4: property runs timed, and the scenario (a 30-operation faulted one). */
  HARNESS_RUNS: number;
  HARNESS_SCENARIO: string;
  /** Patterns to measure (outbox only when the server offers it). */
  PATTERNS: string[];
  /** Text length of ordinary sends. */
  TEXT_BYTES: number;
  /** Figure 6: open-loop send rates stepped through, each for HELD_STEP_MS, into a room of HELD_SUBSCRIBERS sockets; the p99 bound of a held rate. */
  HELD_RATES: number[];
  HELD_STEP_MS: number;
  HELD_SUBSCRIBERS: number;
  HELD_P99_MS: number;
  /** Which figures to run (1-6). */
  FIGURES: number[];
}

const DEFAULTS: BenchConfig = {
  ACK_ROOM_SIZES: [1, 100, 1000],
  ACK_SENDS: 120,
  ACK_RATE: 10,
  ACK_ROUNDS: 3,
  THROUGHPUT_CONCURRENCY: 32,
  THROUGHPUT_ROOMS: 8,
  THROUGHPUT_MS: 4_000,
  FANOUT_SUBSCRIBERS: 1000,
  FANOUT_MESSAGES: 200,
  FANOUT_CONCURRENCY: 8,
  MEMORY_SOCKETS: 1000,
  MEMORY_MESSAGES: 100,
  MEMORY_HEAVY_MESSAGES: 450,
  HARNESS_RUNS: 10,
  HARNESS_SCENARIO: 'scenarios/broadcast-throws.json',
  PATTERNS: ['coupled', 'decoupled', 'outbox'],
  TEXT_BYTES: 100,
  HELD_RATES: [100, 200, 400, 800, 1600],
  HELD_STEP_MS: 3_000,
  HELD_SUBSCRIBERS: 200,
  HELD_P99_MS: 1_000,
  FIGURES: [1, 2, 3, 4, 5, 6, 7],
};

/** The defaults, each replaced by `BENCH_<NAME>` when set (lists comma-separated). */
export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const config = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof BenchConfig)[]) {
    const raw = env[`BENCH_${key}`];
    if (raw === undefined || raw === '') continue;
    const fallback = DEFAULTS[key];
    const value = Array.isArray(fallback)
      ? raw.split(',').map((s) => (typeof fallback[0] === 'number' ? Number(s) : s.trim()))
      : typeof fallback === 'number'
        ? Number(raw)
        : raw;
    if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      throw new Error(`BENCH_${key}=${raw}: not a number`);
    }
    (config as Record<string, unknown>)[key] = value;
  }
  return config;
}
