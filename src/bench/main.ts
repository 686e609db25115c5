import { fileURLToPath } from 'node:url';
import { resolveDatabase } from '../mongo/resolve-database.js';
import { describeWriteConcern, DEFAULT_WRITE_CONCERN } from '../mongo/write-concern.js';
import { ackLatencyVsRoomSize } from './ack-latency-vs-room-size.js';
import { benchConfig } from './bench-config.js';
import { targetChecks, writeBenchReport, type BenchReport } from './bench-report.js';
import { fanout } from './fanout.js';
import { harnessSpeed } from './harness-speed.js';
import { heldSendRate } from './held-send-rate.js';
import { fanoutAcrossNodes } from './fanout-across-nodes.js';
import { machineInfo } from './machine-info.js';
import { memoryUnderSlowConsumer } from './memory-under-slow-consumer.js';
import { persistedAckThroughput } from './persisted-ack-throughput.js';

const REPORTS = fileURLToPath(new URL('../../reports/', import.meta.url));

/**
 * `npm run bench`: the load generator. It resolves one database server, runs each figure against `ackproof serve`
 * children (and their baselines), and writes reports/bench.json and reports/bench.md.
 */
async function main(): Promise<void> {
  const config = benchConfig();
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const started = performance.now();
  const database = await resolveDatabase({ log });
  try {
    const report: Omit<BenchReport, 'targets'> = {
      formatVersion: 1,
      generatedAt: new Date().toISOString(),
      durationSeconds: 0,
      context: {
        machine: machineInfo(),
        database: { kind: database.kind, version: database.version },
        writeConcern: describeWriteConcern(DEFAULT_WRITE_CONCERN),
      },
      config,
      notes: [],
    };
    const wants = (figure: number) => config.FIGURES.includes(figure);
    if (wants(1)) {
      report.ackLatency = await ackLatencyVsRoomSize(config, database.uri, log);
      for (const { pattern, reason } of report.ackLatency.skipped) {
        report.notes.push(`TODO: pattern ${pattern} is not offered by this server build (${reason}); rerun \`npm run bench\` once it is.`);
      }
    }
    const skipped = new Set(report.ackLatency?.skipped.map((s) => s.pattern) ?? []);
    const patterns = config.PATTERNS.filter((p) => !skipped.has(p));
    if (wants(2)) {
      report.throughput = await persistedAckThroughput(config, database.uri, database.pid, patterns, log);
      report.context.writeConcern = report.throughput.writeConcern;
    }
    if (wants(3)) report.fanout = await fanout(config, database.uri, patterns, log);
    if (wants(4)) report.harnessSpeed = await harnessSpeed(config, database, log);
    if (wants(5)) report.memory = await memoryUnderSlowConsumer(config, database.uri, log);
    if (wants(6)) report.heldSendRate = await heldSendRate(config, database.uri, log);
    if (wants(7)) report.nodesFanout = await fanoutAcrossNodes(config, database.uri, log);
    report.durationSeconds = (performance.now() - started) / 1000;
    const full: BenchReport = { ...report, targets: targetChecks(report) };
    const paths = await writeBenchReport(process.env.BENCH_REPORT_DIR ?? REPORTS, full);
    log(`wrote ${paths.json} and ${paths.markdown} in ${full.durationSeconds.toFixed(0)} s`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
