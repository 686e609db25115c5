import { PROPERTY_IDS, type PropertyId } from './probe-properties.js';
import type { DbProbeResult, PropertyVerdict } from './probe-result.js';
import { overallVerdict } from './probe-verdict.js';

/** A probe result for tests: every property holds except those given, with counts that fit each verdict. */
export function probeResultFixture(database: string, verdicts: Partial<Record<PropertyId, PropertyVerdict>> = {}): DbProbeResult {
  const properties = PROPERTY_IDS.map((property) => {
    const verdict = verdicts[property] ?? 'holds';
    const counts = { attempts: 200, rounds: 20, acknowledged: 200, lost: 0, doubleWinners: 0, noWinner: 0, phantoms: 0, errors: 0 };
    if (verdict === 'broken') return { property, verdict, reason: '190 of 200 acknowledged writes lost', counts: { ...counts, lost: 190 }, durationMs: 10 };
    if (verdict === 'unknown') return { property, verdict, reason: 'the probe did not finish within 8000 ms', durationMs: 8000 };
    return { property, verdict, reason: 'no anomaly', counts, durationMs: 10 };
  });
  return {
    database,
    measuredAt: '2026-12-02T01:46:00.000Z',
    durationMs: 3000,
    verdict: overallVerdict(properties.map((p) => p.verdict)),
    properties,
  };
}
