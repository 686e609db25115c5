import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../mongo/database.js';
import { resolveDatabase } from '../../mongo/resolve-database.js';
import { renderTerminalReport } from '../../report/terminal-report.js';
import type { RunResult } from '../result/result-model.js';
import { mongoUri } from '../../test-support/test-database.js';
import { checkHistory } from '../checker/check-history.js';
import { readHistory } from '../../history/read-history.js';
import { loadScenarioFile, type LoadedScenario } from '../scenario/load-scenarios.js';
import { scenarioSchema } from '../scenario/scenario-schema.js';
import { referenceTarget } from '../../targets/reference/reference-targets.js';
import type { PatternName } from '../../server/patterns/pattern-registry.js';
import { runSuite } from './run-suite.js';

let database: Database;
beforeAll(async () => {
  database = await resolveDatabase({ mongoUri: mongoUri() });
});
afterAll(async () => {
  await database.stop();
});

async function suite(scenarios: LoadedScenario[], patterns: string[], runs: number, seed = 42): Promise<RunResult & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ackproof-suite-'));
  const result = await runSuite({
    command: 'run',
    scenarios,
    targets: patterns.map((p) => referenceTarget(p as PatternName)),
    runs,
    seed,
    shrinkBudgetMs: 20_000,
    reportDir: dir,
    database,
    toolVersion: 'test',
  });
  return { ...result, dir };
}

function inline(raw: unknown): LoadedScenario {
  return { file: '(inline)', scenario: scenarioSchema.parse(raw) };
}

describe('runSuite end to end (reference server in a child process, real database, fault proxies)', () => {
  it('broadcast-throws: coupled lies (I4) with a shrunk, replayable counterexample; decoupled keeps every guarantee', async () => {
    const loaded = await loadScenarioFile('scenarios/broadcast-throws.json');
    const result = await suite([loaded], ['coupled', 'decoupled'], 8);
    const [coupled, decoupled] = result.cases;

    expect(coupled?.valid).toBe(false);
    const ce = coupled!.counterexample!;
    expect(ce.violated).toEqual(['I4']);
    expect(coupled!.check.invariants.I1.valid).toBe(true);
    // Shrunk: the fault window and one send are all it takes.
    expect(ce.commands).toContain('start broadcast.throw');
    expect(ce.commands.length).toBeLessThanOrEqual(3);
    expect(ce.path).toMatch(/^\d+(:\d+)*$/);
    // The written history re-checks to the same violation.
    const saved = await readHistory(join(result.dir, ce.historyFile));
    expect(checkHistory(saved).invariants.I4.valid).toBe(false);

    expect(decoupled?.valid).toBe(true);
    expect(decoupled!.check.measures.acknowledged).toBeGreaterThan(0);
    expect(result.valid).toBe(false);

    // Every explored run's history is listed, run 1 first; run 1 has the same seed on both targets (report.html
    // draws them side by side).
    expect(coupled!.runHistoryFiles).toHaveLength(coupled!.runs);
    expect(decoupled!.runHistoryFiles).toEqual(Array.from({ length: 8 }, (_, i) => `histories/broadcast-throws.reference-decoupled.run-${i + 1}.jsonl`));
    const [first, other] = await Promise.all([coupled!, decoupled!].map((c) => readHistory(join(result.dir, c.runHistoryFiles![0]!))));
    expect(first![0]).toMatchObject({ type: 'meta', target: 'reference:coupled' });
    expect(other![0]).toMatchObject({ type: 'meta', target: 'reference:decoupled', seed: (first![0] as { seed: number }).seed });
  });

  it('database unreachable throughout: nothing is acknowledged, and durability holds on both patterns', async () => {
    const scenario = inline({
      name: 'db-down',
      description: 'database unreachable for the whole run',
      topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
      workload: { ops: 4, minOps: 2, mix: { send: 1, edit: 0, delete: 0, fault: 0 } },
      faults: [{ name: 'db.unreachable', always: true }],
      client: { requestTimeoutMs: 8_000, retries: 0, gapFill: true },
    });
    const result = await suite([scenario], ['coupled', 'decoupled'], 2);
    for (const c of result.cases) {
      expect(c.check.measures.ops.send.ok, c.id).toBe(0);
      expect(c.check.measures.acknowledged, c.id).toBe(0);
      expect(c.check.invariants.I1.valid, c.id).toBe(true);
      expect(c.valid, c.id).toBe(true);
    }
  });

  it('a crash after save on decoupled: I1 and I2 hold, and the live delivery rate falls below 100% (and the report says so)', async () => {
    const scenario = inline({
      name: 'crash-once',
      description: 'the server dies after the first save of each run',
      topology: { rooms: [{ id: 'general', members: ['alice', 'bob', 'carol'] }] },
      workload: { ops: 5, minOps: 3, mix: { send: 1, edit: 0, delete: 0, fault: 0 } },
      faults: [{ name: 'crash.afterSave', always: true }],
      // Retries outlast the restart, so the crashed send is acknowledged (200, already stored) but never broadcast.
      client: { retries: 6, retryBackoffMs: 100 },
    });
    const result = await suite([scenario], ['decoupled'], 3);
    const [c] = result.cases;
    expect(c?.check.invariants.I1.valid).toBe(true);
    expect(c?.check.invariants.I2.valid).toBe(true);
    expect(c?.valid).toBe(true);
    const rate = c!.check.measures.liveDeliveryRate!;
    expect(rate).toBeLessThan(1);
    expect(c!.check.measures.deliveries.never).toBe(0);
    const table = renderTerminalReport(result, { color: false });
    expect(table).toContain(`${(rate * 100).toFixed(1)}%`);
  });

  it('a fault that never met a write is not a quiet PASS: unknown, with the reason, on its basis', async () => {
    const scenario = inline({
      name: 'no-write-in-window',
      description: 'ws.reset windows that only hold edits of messages never sent: nothing is written while the fault is open',
      topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
      workload: { ops: 4, minOps: 2, mix: { edit: 1, fault: 1 } },
      faults: [{ name: 'ws.reset' }],
    });
    const result = await suite([scenario], ['decoupled'], 2);
    const [c] = result.cases;
    expect(c?.check.valid).toBe(true);
    expect(c?.valid).toBe('unknown');
    expect(c?.basis?.writes).toBe(0);
    expect(c?.basis?.runs).toBe(2);
    expect(c?.basis?.faults['ws.reset']?.opened).toBeGreaterThan(0);
    expect(c?.basis?.unmet).toEqual([expect.stringMatching(/^fault ws\.reset opened \d+ times? and met no write \(1 required\)$/)]);
    expect(renderTerminalReport(result, { color: false })).toContain('basis: not enough happened to decide: fault ws.reset opened');
  });
});
