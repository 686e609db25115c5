import { PROPERTIES, type PropertyId } from './probe-properties.js';
import type { ProbeSource } from './probe-database.js';
import type { DbProbeResult, ProbeCounts, PropertyVerdict } from './probe-result.js';
import { STORE_REQUIREMENTS, type StoreRequirements } from './store-requirements.js';
import { patternsRequiring, unmetRequirements, type UnmetRequirements } from './unmet-requirements.js';

/**
 * The probe as `probe-db --json`, `/healthz` (`db.probe`), the ready line and `result.json` (`database.probe`) state
 * it: the measurement, what each property means for a chat store and which patterns need it, and one sentence for
 * logs and report headers. Plain data, self-describing, so a report needs nothing else to show it.
 */
export interface DatabaseProbeSummary {
  database: string;
  verdict: PropertyVerdict;
  measuredAt: string;
  durationMs: number;
  source: ProbeSource;
  properties: {
    property: PropertyId;
    title: string;
    verdict: PropertyVerdict;
    reason: string;
    counts?: ProbeCounts;
    /** Patterns of the reference store that need it. */
    requiredBy: string[];
    meaning: string;
  }[];
  /** What the patterns in use need and the database breaks or did not decide. */
  unmet: UnmetRequirements;
  /** Running although a needed property is broken (`--unsafe-database`): verdicts on it cannot be trusted. */
  unsafe: boolean;
  /** One line, e.g. `probe 2026-12-02 01:46 UTC: breaks concurrent-inc (194/200 lost), …; holds …`. */
  sentence: string;
}

export interface SummaryOptions {
  /** The patterns in use (serve: one; run/compare: theirs; probe-db: every pattern of the table). */
  patterns: readonly string[];
  /** `--unsafe-database` was given. */
  unsafeAllowed: boolean;
  requirements?: StoreRequirements;
}

export function summarizeProbe(outcome: { result: DbProbeResult; source: ProbeSource }, options: SummaryOptions): DatabaseProbeSummary {
  const { result, source } = outcome;
  const requirements = options.requirements ?? STORE_REQUIREMENTS;
  const unmet = unmetRequirements(result, options.patterns, requirements);
  const unsafe = options.unsafeAllowed && unmet.broken.length > 0;
  return {
    database: result.database,
    verdict: result.verdict,
    measuredAt: result.measuredAt,
    durationMs: result.durationMs,
    source,
    properties: result.properties.map((p) => ({
      property: p.property,
      title: PROPERTIES[p.property].title,
      verdict: p.verdict,
      reason: p.reason,
      ...(p.counts ? { counts: p.counts } : {}),
      requiredBy: patternsRequiring(p.property, requirements).filter((pattern) => options.patterns.includes(pattern)),
      meaning: PROPERTIES[p.property].meaning,
    })),
    unmet,
    unsafe,
    sentence: sentence(result, source, unmet, unsafe),
  };
}

function sentence(result: DbProbeResult, source: ProbeSource, unmet: UnmetRequirements, unsafe: boolean): string {
  const when = `${readableTime(result.measuredAt)}${source === 'measured' ? '' : ', cached'}`;
  const of = (verdict: PropertyVerdict) => result.properties.filter((p) => p.verdict === verdict);
  const parts: string[] = [];
  const broken = of('broken');
  if (broken.length > 0) {
    const needed = broken.filter((p) => unmet.broken.includes(p.property)).length;
    const note = needed === 0 ? ' (the store needs none of them)' : '';
    parts.push(`breaks ${broken.map((p) => `${p.property} (${p.counts ? shortCounts(p.counts) : 'broken'})`).join(', ')}${note}`);
  }
  const unknown = of('unknown');
  if (unknown.length > 0) {
    const note = unmet.unknown.length > 0 ? ` (the store needs ${unmet.unknown.join(', ')}: running unverified)` : '';
    parts.push(`could not decide ${unknown.map((p) => p.property).join(', ')}${note}`);
  }
  const holds = of('holds');
  if (holds.length === result.properties.length && holds.length > 0) parts.push(`all ${holds.length} properties hold`);
  else if (holds.length > 0) parts.push(`holds ${holds.map((p) => p.property).join(', ')}`);
  const line = `probe ${when}: ${parts.join('; ')}`;
  return unsafe ? `UNSAFE (--unsafe-database): the store needs ${unmet.broken.join(', ')}, which this database breaks; ${line}` : line;
}

/** `194/200 lost`, `3/20 keys with 2+ winners`, …: the anomalies only. */
export function shortCounts(counts: ProbeCounts): string {
  const parts = [
    counts.lost > 0 ? `${counts.lost}/${counts.acknowledged} lost` : '',
    counts.doubleWinners > 0 ? `${counts.doubleWinners}/${counts.rounds} keys with 2+ winners` : '',
    counts.noWinner > 0 ? `${counts.noWinner}/${counts.rounds} keys with no winner` : '',
    counts.phantoms > 0 ? `${counts.phantoms} refused yet stored` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no anomaly';
}

/** `2026-12-02 01:46 UTC`. */
export function readableTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
