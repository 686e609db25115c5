import { describe, expect, it } from 'vitest';
import { probeResultFixture } from '../mongo/probe/probe-result-fixture.js';
import { summarizeProbe } from '../mongo/probe/probe-summary.js';
import { STORE_REQUIREMENTS } from '../mongo/probe/store-requirements.js';
import { renderProbeTable } from './probe-table.js';
import { terminalPalette } from './terminal-color.js';

const summary = (source: 'measured' | 'cache') =>
  summarizeProbe(
    { result: probeResultFixture('FerretDB v1.24.2 (MongoDB 7.0.42 wire)', { 'concurrent-inc': 'broken', 'concurrent-upsert': 'unknown' }), source },
    { patterns: Object.keys(STORE_REQUIREMENTS), unsafeAllowed: false },
  );

describe('renderProbeTable', () => {
  it('one row per property, the meaning of each property that did not hold, and the verdict line', () => {
    const text = renderProbeTable(summary('measured'), terminalPalette(false));
    expect(text).toMatch(/^ackproof probe-db: FerretDB v1\.24\.2 \(MongoDB 7\.0\.42 wire\): BROKEN\nmeasured now in 3 s\n/);
    expect(text).toMatch(/concurrent-inc\s+BROKEN\s+200\s+200\s+190\/200 lost\s+–/);
    expect(text).toMatch(/concurrent-upsert\s+UNKNOWN\s+–\s+–\s+could not decide/);
    expect(text).toMatch(/unique-insert-race\s+holds\s+200\s+200\s+no anomaly\s+coupled, decoupled, outbox/);
    expect(text).toMatch(/What it means for a chat store\n  concurrent-inc: 190 of 200 acknowledged writes lost\.\n    a counter several writers bump/);
    expect(text).not.toMatch(/  unique-insert-race: /);
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('says when a cached result is used and from when; colors only when asked', () => {
    const text = renderProbeTable(summary('cache'), terminalPalette(true));
    expect(text).toMatch(/cached result, measured 2026-12-02 01:46 UTC in 3 s \(--fresh measures again\)/);
    expect(text).toMatch(/\x1b\[31m/);
  });
});
