import { z } from 'zod';
import { FAULT_NAMES } from './fault-name.js';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes, starting with a letter');
const verdict = z.enum(['pass', 'fail']);
const weight = z.number().min(0).default(0);
const count = z.number().int().min(0).max(1_000_000);

/** The mix of a scenario that gives none. */
export const DEFAULT_MIX = { send: 6, edit: 1, delete: 1, burst: 0, concurrent: 0, reconnect: 0, fault: 2 };

const fault = z
  .object({
    name: z.enum(FAULT_NAMES),
    /** Passed to the fault as is (e.g. `{"probability": 0.5}` for broadcast.throw, `{"ms": 300}` for latency). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Start it before the first operation and keep it until the end (no shrinking it away). */
    always: z.boolean().default(false),
  })
  .strict();

/**
 * A scenario file (`scenarios/*.json`): a named fault story. Unknown fields are rejected so that a typo is an
 * error, not a silently ignored setting.
 */
export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: id,
    description: z.string().min(1),
    topology: z
      .object({
        rooms: z
          .array(z.object({ id, members: z.array(id).min(1) }).strict())
          .min(1),
      })
      .strict(),
    workload: z
      .object({
        /**
         * Mean commands per property run: runs are drawn evenly between half of it (or minOps) and as far above it
         * (a shrunk counterexample may be shorter); a fault window counts as one.
         */
        ops: z.number().int().min(1).max(500),
        /** At least this many commands per explored run (a shrunk counterexample may have fewer); at most `ops`. */
        minOps: z.number().int().min(1).max(500).default(1),
        /**
         * Relative weights of the command kinds. A kind left out of a given `mix` weighs 0 (only a missing `mix`
         * takes DEFAULT_MIX): a scenario that omits `edit` must not edit.
         */
        mix: z
          .object({
            send: weight,
            edit: weight,
            delete: weight,
            burst: weight,
            /** A concurrent burst of mixed operations: several clients at once, each running its own sends, edits and deletes. */
            concurrent: weight,
            reconnect: weight,
            /** A fault window: start a fault, 1-4 client operations drawn from the other weights, heal it. */
            fault: weight,
          })
          .strict()
          .default(() => ({ ...DEFAULT_MIX })),
        /** Sends per burst (concurrent, from random members). */
        burstSize: z.number().int().min(2).max(1000).default(8),
        /** At most this many operations per concurrent burst (`mix.concurrent`), spread over the clients. */
        concurrentOps: z.number().int().min(2).max(1000).default(12),
      })
      .strict(),
    faults: z.array(fault).default([]),
    client: z
      .object({
        requestTimeoutMs: z.number().int().min(50).max(60_000).default(3_000),
        /** Retries of an `info` send with the same clientMsgId. */
        retries: z.number().int().min(0).max(10).default(2),
        /** Pause before the first retry, doubling after each (so retries can outlast a server restart). */
        retryBackoffMs: z.number().int().min(0).max(10_000).default(100),
        gapFill: z.boolean().default(true),
      })
      .strict()
      .default({ requestTimeoutMs: 3_000, retries: 2, retryBackoffMs: 100, gapFill: true }),
    /** Property runs per pattern unless --runs says otherwise. */
    runs: z.number().int().min(1).max(10_000).default(5),
    /**
     * What must have happened over a case's runs for its verdict to mean anything (its basis, summed over the runs);
     * a case that passed without it is `unknown`, with the reason. `faultedWrites` is per fault the scenario names
     * (default 1 when it names any: a fault that never met a write tested nothing).
     */
    requires: z
      .object({
        /** Writes (send, edit, delete) whose invoke..complete overlapped an open window of each of the scenario's faults. */
        faultedWrites: count.optional(),
        /** Operations whose outcome was unknown (`info`: a 504, a timeout, a lost connection). */
        unknownOutcomes: count.optional(),
        /** Writes that overlapped another write. */
        concurrentWrites: count.optional(),
        /** Commands executed, on average per run. */
        commandsPerRun: count.optional(),
      })
      .strict()
      .default({}),
    /** The verdict each pattern is expected to get. */
    expect: z.record(z.string(), verdict).default({}),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioFault = Scenario['faults'][number];
