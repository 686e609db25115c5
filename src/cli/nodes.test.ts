import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRedisServer } from '../brokers/redis-process.js';
import type { RunResult } from '../harness/result/result-model.js';
import { runCli } from '../test-support/run-cli.js';
import { mongoUri } from '../test-support/test-database.js';

const TIMEOUT_MS = 300_000;

/** `compare --nodes 3 --fanout a,b`: three reference nodes per target, Redis between them, per-node live delivery. */
describe.skipIf(!findRedisServer())('compare --nodes 3 --fanout redis-pubsub,redis-streams', () => {
  it('runs a broker outage on three nodes per fan-out, meets the scenario\'s expectations, shows per-node delivery', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ackproof-nodes-'));
    const compare = await runCli(
      ['compare', 'scenarios/broker-blip.json', 'scenarios/baseline.json', '--patterns', 'outbox', '--nodes', '3',
        '--fanout', 'redis-pubsub,redis-streams', '--runs', '1', '--seed', '5', '--report-dir', dir],
      { MONGODB_URI: mongoUri() },
      TIMEOUT_MS,
    );
    expect(compare.code, compare.stdout + compare.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.targets).toEqual(['reference:outbox+redis-pubsub@3', 'reference:outbox+redis-streams@3']);
    const blip = result.cases.filter((c) => c.scenario === 'broker-blip');
    expect(blip.map((c) => [c.target, c.valid, c.expected])).toEqual([
      ['reference:outbox+redis-pubsub@3', true, 'pass'],
      ['reference:outbox+redis-streams@3', true, 'pass'],
    ]);
    for (const c of result.cases) expect(Object.keys(c.check.measures.nodes?.byNode ?? {}).sort(), c.id).toEqual(['n0', 'n1', 'n2']);
    expect(compare.stdout).toMatch(/Live delivery per node/);
    // The same scenario on one node has no broker to fault: skipped, with the reason; nothing was checked, so the
    // run is undecided (2), never a pass.
    const single = await runCli(['run', 'scenarios/broker-blip.json', '--pattern', 'outbox', '--runs', '1', '--report-dir', join(dir, 'one')], { MONGODB_URI: mongoUri() });
    expect(single.code, single.stderr).toBe(2);
    expect(single.stdout).toMatch(/SKIPPED/);
    expect(single.stdout + single.stderr).toMatch(/broker\.unreachable needs a broker link/);
  }, TIMEOUT_MS + 10_000);
});
