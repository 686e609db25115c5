import { describe, expect, it } from 'vitest';
import { benchConfig } from './bench-config.js';
import { renderBenchMarkdown, targetChecks, type BenchReport } from './bench-report.js';
import { CENTRIFUGO_MISSING } from './centrifugo-fanout.js';
import type { FanoutFigure } from './fanout.js';

const base: Omit<BenchReport, 'targets'> = {
  formatVersion: 1,
  generatedAt: '2026-01-01T00:00:00.000Z',
  durationSeconds: 10,
  context: {
    machine: { cores: 2, cpuModel: 'Test CPU', memoryGiB: 4, node: 'v20.0.0', platform: 'linux-x64' },
    database: { kind: 'ferretdb', version: 'FerretDB v1.24.2' },
    writeConcern: 'w:1,j:true',
  },
  config: benchConfig({}),
  throughput: {
    rows: [
      {
        pattern: 'decoupled',
        serverAcksPerSecond: 90,
        rawInsertsPerSecond: 100,
        server_vs_raw_ratio: 0.9,
        cpu: {
          server: { msPerWrite: { server: 0.5, 'load generator': 0.6, database: 1 }, totalMsPerWrite: 2.1, machineBusy: 0.97 },
          raw: { msPerWrite: { client: 0.3, database: 0.9 }, totalMsPerWrite: 1.2, machineBusy: 0.95 },
        },
        database: {
          server: { commandsPerWrite: 0.125, byCommand: { insert: 0.125 }, writesPerInsert: 8 },
          raw: { commandsPerWrite: 1, byCommand: { insert: 1 }, writesPerInsert: 1 },
        },
      },
    ],
    bareHttp: {
      pattern: 'bare http + insertOne',
      serverAcksPerSecond: 95,
      rawInsertsPerSecond: 100,
      server_vs_raw_ratio: 0.95,
      cpu: {
        server: { msPerWrite: { server: 0.2, 'load generator': 0.6, database: 1 }, totalMsPerWrite: 1.8, machineBusy: 0.9 },
        raw: { msPerWrite: { client: 0.3, database: 0.9 }, totalMsPerWrite: 1.2, machineBusy: 0.95 },
      },
    },
    writeConcern: 'w:1,j:true',
    method: 'm',
  },
  ackLatency: {
    rows: [
      { pattern: 'decoupled', members: 1, latencyMs: { count: 5, p50: 2, p99: 4 }, p50Ratio: 1, p99Ratio: 1 },
      { pattern: 'decoupled', members: 1000, latencyMs: { count: 5, p50: 3, p99: 6 }, p50Ratio: 1.5, p99Ratio: 1.5, p99RatioRounds: [1.2, 1.9] },
    ],
    skipped: [{ pattern: 'outbox', reason: 'unknown pattern' }],
    method: 'm',
  },
  notes: [],
};

describe('bench report', () => {
  it('judges the targets on the measured figures only', () => {
    expect(targetChecks(base)).toEqual([
      { name: 'server_vs_raw_ratio (decoupled)', value: 0.9, target: '>= 0.8', met: true },
      { name: 'raw CPU per insert / server CPU per send (decoupled)', value: 0.571, target: '>= 0.8', met: false },
      { name: 'decoupled p99 ratio at 1000 members', value: 1.5, target: '<= 1.2', met: false },
    ]);
  });

  it('states the machine, database and write concern beside every figure, and what was not measured', () => {
    const md = renderBenchMarkdown({ ...base, targets: targetChecks(base) });
    const context = '_2 cores (Test CPU), 4 GiB, Node v20.0.0; database ferretdb FerretDB v1.24.2; write concern w:1,j:true_';
    // Once at the top and once per measured figure (two here).
    expect(md.split(context).length - 1).toBe(3);
    expect(md).toContain('| decoupled | 1000 | 5 | 3.00 | 6.00 | 1.500 | 1.500 | 1.20, 1.90 |');
    expect(md).toContain('| decoupled p99 ratio at 1000 members | 1.500 | <= 1.2 | **no** |');
    expect(md).toContain('- outbox: not measured (unknown pattern).');
  });

  it('says where the CPU of a write went, and when the machine itself was the limit', () => {
    const md = renderBenchMarkdown({ ...base, targets: targetChecks(base) });
    expect(md).toContain('| decoupled | 97% | 0.50 | 0.60 | 1.00 | 2.10 | 95% | 0.30 | 0.90 | 1.20 | 0.571 |');
    expect(md).toContain('CPU-bound');
    // Database round trips per write: one insert command carried eight sends (group commit).
    expect(md).toContain('| decoupled | 0.125 | insert 0.125 | 8.0 | 1.000 |');
    // The bare HTTP baseline: its own row, and each pattern's share of what the HTTP hop leaves.
    expect(md).toContain('| _bare http + insertOne (baseline)_ | 95 | 100 | 0.950 |');
    expect(md).toContain("the reference server's own work leaves: decoupled 0.947.");
    expect(targetChecks(base).map((t) => t.name)).not.toContain('server_vs_raw_ratio (bare http + insertOne)');
    const idle = structuredClone(base);
    idle.throughput!.rows[0]!.cpu.server.machineBusy = 0.5;
    expect(renderBenchMarkdown({ ...idle, targets: [] })).not.toContain('CPU-bound');
  });

  it('reads sizes from BENCH_* variables and rejects a non-number', () => {
    expect(benchConfig({ BENCH_ACK_ROOM_SIZES: '1,10', BENCH_PATTERNS: 'decoupled' })).toMatchObject({
      ACK_ROOM_SIZES: [1, 10],
      PATTERNS: ['decoupled'],
    });
    expect(() => benchConfig({ BENCH_ACK_SENDS: 'many' })).toThrow('BENCH_ACK_SENDS=many: not a number');
  });

  it('shows figure 6 step by step, with and without shedding, and the held rate as a ratio to the raw insert rate', () => {
    const step = (offered: number, acked: number, shed: number, p99: number) => ({ offeredPerSecond: offered, ackedPerSecond: acked, shedShare: shed, errorShare: 0, ackP50Ms: 5, ackP99Ms: p99 });
    const md = renderBenchMarkdown({
      ...base,
      heldSendRate: {
        runs: [
          { shedding: false, steps: [step(200, 200, 0, 140), step(400, 263, 0, 1585)], heldPerSecond: 200 },
          { shedding: true, steps: [step(200, 200, 0, 72), step(400, 290, 0.23, 357)], heldPerSecond: 290 },
        ],
        rawInsertsPerSecond: 800,
        held_vs_raw_ratio: 0.363,
        p99BoundMs: 1000,
        method: 'm',
      },
      targets: [],
    });
    expect(md).toContain('| off | 400 | 263 | 0% | 0% | 5.0 | 1585 |');
    expect(md).toContain('| on | 400 | 290 | 23% | 0% | 5.0 | 357 |');
    expect(md).toContain('290/s with shedding, 200/s without; raw insertOne 800/s; held_vs_raw_ratio (with shedding): 0.363');
  });

  it('shows figure 3 beside its baseline and the Centrifugo peer, and judges the ratio to Centrifugo against 1.0', () => {
    const latencyMs = (p50: number, p99: number) => ({ count: 20_000, p50, p99 });
    const fanout: FanoutFigure = {
      rows: [
        { pattern: 'decoupled', serverDeliveriesPerSecond: 30_000, latencyMs: latencyMs(40.2, 95.5), rawDeliveriesPerSecond: 20_000, fanout_vs_raw_ratio: 1.5, reference_vs_centrifugo_ratio: 1.2 },
        { pattern: 'outbox', serverDeliveriesPerSecond: 15_000, latencyMs: latencyMs(80, 300), rawDeliveriesPerSecond: 20_000, fanout_vs_raw_ratio: 0.75, reference_vs_centrifugo_ratio: 0.6 },
      ],
      frameBytes: 346,
      raw: { deliveriesPerSecond: 20_000, latencyMs: latencyMs(30, 70) },
      centrifugo: { version: '6.9.1 OSS', engine: 'memory', historySize: 200, deliveriesPerSecond: 25_000, latencyMs: latencyMs(20.5, 60), frameBytes: 232 },
      method: 'm',
    };
    const report = { ...base, fanout };
    expect(targetChecks(report).filter((t) => t.name.startsWith('reference_vs_centrifugo'))).toEqual([
      { name: 'reference_vs_centrifugo_ratio (decoupled)', value: 1.2, target: '>= 1.0', met: true },
      { name: 'reference_vs_centrifugo_ratio (outbox)', value: 0.6, target: '>= 1.0', met: false },
    ]);
    const md = renderBenchMarkdown({ ...report, targets: targetChecks(report) });
    expect(md).toContain('| decoupled | 30000 | 40.2 / 95.5 | 1.500 | 1.200 |');
    expect(md).toContain('| _bare ws broadcast (baseline)_ | 20000 | 30.0 / 70.0 | | |');
    expect(md).toContain('| _Centrifugo 6.9.1 OSS (peer, memory engine, history 200)_ | 25000 | 20.5 / 60.0 | | |');
    expect(md).toContain('| reference_vs_centrifugo_ratio (outbox) | 0.600 | >= 1.0 | **no** |');

    // Without the binary: the row says how to install it, the rest is reported, and nothing is judged against it.
    const missing = structuredClone(fanout);
    missing.centrifugo = { ...missing.centrifugo, deliveriesPerSecond: Number.NaN, error: CENTRIFUGO_MISSING };
    for (const row of missing.rows) row.reference_vs_centrifugo_ratio = Number.NaN;
    const without = { ...base, fanout: missing };
    expect(targetChecks(without).map((t) => t.name)).toEqual(expect.arrayContaining(['fanout_vs_raw_ratio (outbox)']));
    expect(targetChecks(without).map((t) => t.name).filter((n) => n.includes('centrifugo'))).toEqual([]);
    const text = renderBenchMarkdown({ ...without, targets: targetChecks(without) });
    expect(text).toContain('| _Centrifugo (peer, memory engine, history 200)_ | Centrifugo not installed: bash .ci/install-centrifugo | | | |');
    expect(text).toContain('| decoupled | 30000 | 40.2 / 95.5 | 1.500 | n/a |');

    // A pattern that lost deliveries has no rate: the row says why, and its ratio to the baseline is not met.
    const lossy = structuredClone(fanout);
    lossy.rows[0] = { ...lossy.rows[0]!, serverDeliveriesPerSecond: Number.NaN, fanout_vs_raw_ratio: Number.NaN, reference_vs_centrifugo_ratio: Number.NaN, error: 'only 195000 of 200000 deliveries after 120000 ms' };
    const lost = { ...base, fanout: lossy };
    expect(renderBenchMarkdown({ ...lost, targets: targetChecks(lost) })).toContain('| decoupled | not measured: only 195000 of 200000 deliveries after 120000 ms | | | |');
    expect(targetChecks(lost).find((t) => t.name === 'fanout_vs_raw_ratio (decoupled)')?.met).toBe(false);
    expect(targetChecks(lost).map((t) => t.name)).not.toContain('reference_vs_centrifugo_ratio (decoupled)');
  });
});
