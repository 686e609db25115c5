import { casVsOtherField } from './cas-vs-other-field.js';
import { concurrentInc } from './concurrent-inc.js';
import { concurrentUpsert } from './concurrent-upsert.js';
import type { Probe } from './probe.js';
import type { DbProbeResult, PropertyResult } from './probe-result.js';
import { judgeProperty, overallVerdict, probeFailed } from './probe-verdict.js';
import { ScratchDatabase } from './scratch-database.js';
import { uniqueCompoundInsert } from './unique-compound-insert.js';
import { uniqueInsertRace } from './unique-insert-race.js';
import { describeError } from './write-tally.js';

/** Every probe, in the order tables show them. */
export const PROBES: readonly Probe[] = [concurrentInc, casVsOtherField, uniqueInsertRace, concurrentUpsert, uniqueCompoundInsert];

export interface RunProbesOptions {
  /** The server's identity and version (`serverVersion`), recorded as the result's `database`. */
  database: string;
  probes?: readonly Probe[];
  /** Time each probe may take before it is `unknown` (default 8 s); also bounds every single operation. */
  probeTimeoutMs?: number;
  now?: () => Date;
}

const DEFAULT_PROBE_TIMEOUT_MS = 8_000;

/**
 * Runs the probes one after another in a scratch database of their own, dropped afterwards (also when a probe
 * fails). Never throws: a probe that cannot finish — setup refused, an error, its time up — is `unknown` with why.
 */
export async function runProbes(uri: string, options: RunProbesOptions): Promise<DbProbeResult> {
  const now = options.now ?? (() => new Date());
  const probes = options.probes ?? PROBES;
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const measuredAt = now();
  const properties: PropertyResult[] = [];
  let scratch: ScratchDatabase | undefined;
  try {
    scratch = await ScratchDatabase.open(uri, { operationTimeoutMs: timeoutMs });
    for (const probe of probes) properties.push(await runOne(probe, scratch, timeoutMs));
  } catch (error) {
    const reason = `could not open a scratch database: ${describeError(error)}`;
    for (const probe of probes.slice(properties.length)) properties.push(probeFailed(probe.property, reason, 0));
  } finally {
    await scratch?.close().catch(() => undefined);
  }
  return {
    database: options.database,
    measuredAt: measuredAt.toISOString(),
    durationMs: now().getTime() - measuredAt.getTime(),
    verdict: overallVerdict(properties.map((p) => p.verdict)),
    properties,
  };
}

async function runOne(probe: Probe, scratch: ScratchDatabase, timeoutMs: number): Promise<PropertyResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(timeoutMs)), timeoutMs);
  });
  try {
    const counts = await Promise.race([probe.run(scratch), timeUp]);
    return judgeProperty(probe.property, counts, Date.now() - started);
  } catch (error) {
    const reason = error instanceof ProbeTimeout ? error.message : `the probe failed: ${describeError(error)}`;
    return probeFailed(probe.property, reason, Date.now() - started);
  } finally {
    clearTimeout(timer);
  }
}

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`the probe did not finish within ${ms} ms`);
  }
}
