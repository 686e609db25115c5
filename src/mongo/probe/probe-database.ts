import { ProbeCache, probeCacheDir } from './probe-cache.js';
import type { DbProbeResult } from './probe-result.js';
import { parseProbeResultFor } from './probe-result-schema.js';
import { readableTime } from './probe-summary.js';
import { runProbes, type RunProbesOptions } from './run-probes.js';
import { describeError } from './write-tally.js';

/**
 * The environment variable through which `run` and `compare` hand their probe result to the `ackproof serve`
 * children they start, so no child probes again (it holds the result as JSON; a child uses it only when it names
 * the database the child reached).
 */
export const PROBE_HANDOVER_ENV = 'ACKPROOF_DB_PROBE';

/** Where a result came from: measured now, read from the disk cache, or handed over by the parent process. */
export type ProbeSource = 'measured' | 'cache' | 'handed-over';

export interface ProbeOutcome {
  result: DbProbeResult;
  source: ProbeSource;
}

export interface ProbeDatabaseOptions {
  /** Measure again, ignoring the caches (the new result replaces the cached one). */
  fresh?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** For tests: the measurement itself. */
  measure?: (uri: string, options: RunProbesOptions) => Promise<DbProbeResult>;
}

/** Results measured by this process, by database: one measurement per database per process, whatever asks. */
const measuredHere = new Map<string, DbProbeResult>();

/**
 * Probes a database once: this process's own measurement, else the parent's hand-over, else the disk cache, else
 * measures (a few seconds) and caches a decided result on disk. `unknown` is not written to disk, so the next
 * process measures again.
 */
export async function probeDatabase(db: { uri: string; version: string }, options: ProbeDatabaseOptions = {}): Promise<ProbeOutcome> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const cache = new ProbeCache(probeCacheDir(env));
  if (!options.fresh) {
    const own = measuredHere.get(db.version);
    if (own) return { result: own, source: 'measured' };
    const handed = handedOver(env, db.version);
    if (handed) {
      log(`database probe: result handed over by the parent process, measured ${readableTime(handed.measuredAt)}`);
      return { result: handed, source: 'handed-over' };
    }
    const cached = cache.read(db.version);
    if (cached) {
      log(`database probe: cached result from ${readableTime(cached.measuredAt)} (${cache.fileFor(db.version)}; \`ackproof probe-db --fresh\` measures again)`);
      return { result: cached, source: 'cache' };
    }
  }
  log(`database probe: measuring ${db.version} under concurrent writes (a few seconds)`);
  const result = await (options.measure ?? runProbes)(db.uri, { database: db.version });
  measuredHere.set(db.version, result);
  if (result.verdict !== 'unknown') {
    try {
      cache.write(result);
    } catch (error) {
      log(`database probe: could not cache the result in ${cache.dir} (${describeError(error)}); the next start measures again`);
    }
  }
  return { result, source: 'measured' };
}

/** The form a parent puts in PROBE_HANDOVER_ENV for its children. */
export function handOver(result: DbProbeResult): string {
  return JSON.stringify(result);
}

function handedOver(env: NodeJS.ProcessEnv, database: string): DbProbeResult | undefined {
  const text = env[PROBE_HANDOVER_ENV];
  return text ? parseProbeResultFor(text, database) : undefined;
}
