import { z } from 'zod';
import { FAULT_NAMES } from './fault-name.js';
import { parseThreshold, ThresholdSyntaxError } from '../thresholds/threshold.js';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes, starting with a letter');
const verdict = z.enum(['pass', 'fail']);
const weight = z.number().min(0).default(0);
const count = z.number().int().min(0).max(1_000_000);

/**
 * What the inputs of a run look like (`inputs`): the inputs real clients make, each off by default so a scenario
 * without `inputs` draws exactly the plain sends it always did. Weights as in `mix`: a kind left out of a given
 * `keys` or `texts` weighs 0, only a missing one takes the default.
 */
export const DEFAULT_KEYS = { fresh: 1, otherUser: 0, otherRoom: 0, retryOtherText: 0 };
export const DEFAULT_TEXTS = { plain: 1, emoji: 0, combining: 0, rtl: 0, loneSurrogate: 0, long: 0 };

const inputs = z
  .object({
    /**
     * How a send (and a concurrent burst's send) picks its clientMsgId: a fresh one; one another user already sent
     * (any room); one this user sent in another room; one this user sent in this room, with another text (a retry
     * whose text changed: the server must refuse it, 409, or answer with the original, never store the new text).
     * With nothing to reuse yet, a fresh one.
     */
    keys: z
      .object({ fresh: weight, otherUser: weight, otherRoom: weight, retryOtherText: weight })
      .strict()
      .default(() => ({ ...DEFAULT_KEYS })),
    /**
     * The text of a send or an edit, always unique in the run (the checker relies on it): plain, or with emoji
     * (ZWJ sequences, flags, skin tones), combining marks, right-to-left marks and scripts, a lone surrogate (not
     * valid Unicode: the server must refuse it, 400, rather than store it altered), or `long`: from
     * `maxTextLength` - 3 to `maxTextLength` + 1 characters (UTF-16 code units; one over must be refused, 413).
     */
    texts: z
      .object({ plain: weight, emoji: weight, combining: weight, rtl: weight, loneSurrogate: weight, long: weight })
      .strict()
      .default(() => ({ ...DEFAULT_TEXTS })),
    /** The server's text limit that `long` texts are drawn around (the reference server's is 4,000). */
    maxTextLength: z.number().int().min(64).max(1_000_000).default(4_000),
    /** Every client lists each of its rooms twice in its subscribe frames (the server must treat them as one). */
    duplicateSubscriptions: z.boolean().default(false),
  })
  .strict();
/** A threshold as a scenario file writes it: syntax checked here, scope given by the key it is listed under. */
const thresholdText = z.string().superRefine((text, ctx) => {
  try {
    const parsed = parseThreshold(text);
    if (parsed.target !== undefined) ctx.addIssue({ code: 'custom', message: `"${text}": list it under its target's key, without a TARGET: prefix` });
  } catch (error) {
    if (!(error instanceof ThresholdSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

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
        /** Commands per property run (the generator may shrink below it); a fault window counts as one. */
        ops: z.number().int().min(1).max(500),
        /** At least this many commands per explored run (a shrunk counterexample may have fewer). */
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
    inputs: inputs.default(() => ({ keys: { ...DEFAULT_KEYS }, texts: { ...DEFAULT_TEXTS }, maxTextLength: 4_000, duplicateSubscriptions: false })),
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
    /**
     * A system whose recovery is bounded keeps this little, so that the scenario crosses the bound on purpose:
     * `messages` per room (Centrifugo's history_size), `ms` of absence (Centrifugo's history_ttl, rounded up to whole
     * seconds; Socket.IO's maxDisconnectionDuration). A system that recovers from its database (the reference server)
     * has no such bound and ignores it.
     */
    recoveryWindow: z
      .object({
        messages: z.number().int().min(1).max(100_000).optional(),
        ms: z.number().int().min(100).max(3_600_000).optional(),
      })
      .strict()
      .optional(),
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
    /**
     * What a target must offer for this scenario to mean anything (beyond what its faults imply): a target without
     * it skips the scenario, with the reason. Edits and deletes a scenario only mixes in are left out for a target
     * that has none (and the case says so).
     */
    needs: z.array(z.enum(['edit', 'delete'])).default([]),
    /** The verdict each target is expected to get: a target id (`reference:outbox`), or a reference pattern name. */
    expect: z.record(z.string(), verdict).default({}),
    /**
     * Thresholds on the measures per target (a target id, a reference pattern name, or `*`), k6-style and without a
     * scope prefix: `{"outbox": ["live-delivery>=0.99"]}`. An unmet one fails the case's run like a broken invariant.
     */
    thresholds: z.record(z.string(), z.array(thresholdText)).default({}),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioFault = Scenario['faults'][number];
export type ScenarioInputs = Scenario['inputs'];
