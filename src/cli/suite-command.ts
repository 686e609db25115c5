import { Option, type Command } from 'commander';
import { randomInt } from 'node:crypto';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import type { Validity } from '../harness/checker/verdict.js';
import type { LoadedScenario } from '../harness/scenario/load-scenarios.js';
import { runSuite, type SuiteOptions } from '../harness/runner/run-suite.js';
import { databaseRefusal, UNSAFE_DATABASE_ENV, UNSAFE_DATABASE_FLAG } from '../mongo/probe/database-refusal.js';
import { handOver, probeDatabase, PROBE_HANDOVER_ENV } from '../mongo/probe/probe-database.js';
import { summarizeProbe } from '../mongo/probe/probe-summary.js';
import { resolveDatabase } from '../mongo/resolve-database.js';
import { formatProgress } from '../report/progress-line.js';
import type { RunResult } from '../report/result-model.js';
import { renderTerminalReport } from '../report/terminal-report.js';
import { terminalColorEnabled } from '../report/terminal-color.js';
import { writeReportDir } from '../report/write-report-dir.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The options every command that runs scenarios takes (DESIGN.md §4). */
export interface SuiteFlags {
  runs?: number;
  seed?: number;
  reportDir?: string;
  json?: boolean;
  mongoUri?: string;
  shrinkSeconds: number;
  unsafeDatabase?: boolean;
  freshProbe?: boolean;
}

export function addSuiteOptions(command: Command): Command {
  return command
    .addOption(new Option('--runs <n>', 'property runs per scenario (default: each scenario file\'s runs)').argParser(positiveInt('--runs')))
    .addOption(new Option('--seed <s>', 'base seed; the same seed replays the same command sequences').argParser(integer('--seed')))
    .option('--report-dir <dir>', 'where to write histories and reports (default reports/<time>-<command>/)')
    .option('--json', 'print result.json to stdout instead of the table')
    .option('--mongo-uri <uri>', 'database to use (beats MONGODB_URI; default: the embedded resolver)')
    .addOption(
      new Option('--shrink-seconds <s>', 'time budget to shrink a counterexample').default(60).argParser(positiveInt('--shrink-seconds')),
    )
    .addOption(
      new Option(UNSAFE_DATABASE_FLAG, 'run even on a database that breaks a property the store needs (see `ackproof probe-db`); marked UNSAFE')
        .env(UNSAFE_DATABASE_ENV),
    )
    .option('--fresh-probe', 'measure the database again instead of using the cached probe result');
}

/**
 * Runs scenarios against patterns with the shared flags, writes the report directory, prints the table (or JSON),
 * and returns the result; `judge` turns it into the exit code.
 */
export async function runSuiteCommand(
  command: RunResult['command'],
  scenarios: LoadedScenario[],
  patterns: string[],
  flags: SuiteFlags,
  extra: { replay?: SuiteOptions['replay']; finish?: (result: RunResult) => RunResult } = {},
): Promise<RunResult> {
  const seed = flags.seed ?? randomInt(2 ** 31);
  const reportDir = flags.reportDir ?? join('reports', `${new Date().toISOString().replace(/[:.]/g, '-')}-${command}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const database = await resolveDatabase({ mongoUri: flags.mongoUri, log });
  const tty = Boolean(process.stderr.isTTY);
  let result: RunResult;
  const inherited = { probe: process.env[PROBE_HANDOVER_ENV], unsafe: process.env[UNSAFE_DATABASE_ENV] };
  try {
    // Once per database, before any case: refuse here (exit 3) rather than in every server child.
    const measured = await probeDatabase(database, { fresh: flags.freshProbe === true, log });
    const probe = summarizeProbe(measured, { patterns, unsafeAllowed: flags.unsafeDatabase === true });
    const refusal = databaseRefusal(probe);
    if (refusal) throw new UsageError(refusal);
    log(`database ${database.kind}: ${database.version}, ${probe.sentence}`);
    // The `ackproof serve` children inherit the result (and the permission), so none of them probes again.
    process.env[PROBE_HANDOVER_ENV] = handOver(measured.result);
    if (probe.unsafe) process.env[UNSAFE_DATABASE_ENV] = '1';
    log(`ackproof ${command}: ${scenarios.length} scenario(s) x ${patterns.join(', ')}, seed ${seed}`);
    result = await runSuite({
      command,
      scenarios,
      patterns,
      ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
      seed,
      shrinkBudgetMs: flags.shrinkSeconds * 1000,
      reportDir,
      database,
      toolVersion: version,
      ...(extra.replay ? { replay: extra.replay } : {}),
      onProgress: (progress) => {
        if (tty) process.stderr.write(`\r\x1b[2K${formatProgress(progress)}`);
      },
      onCase: (c) => {
        const verdict = c.valid === true ? 'PASS' : c.valid === false ? `FAIL ${c.counterexample?.violated.join(' ') ?? ''}` : 'UNKNOWN';
        log(`${tty ? '\r\x1b[2K' : ''}${c.id}: ${verdict} (${c.runs} runs, ${(c.durationMs / 1000).toFixed(1)} s)`);
      },
    });
    result = { ...result, database: { ...result.database, probe } };
  } finally {
    restoreEnv(PROBE_HANDOVER_ENV, inherited.probe);
    restoreEnv(UNSAFE_DATABASE_ENV, inherited.unsafe);
    await database.stop();
  }
  if (extra.finish) result = extra.finish(result);
  const files = await writeReportDir(reportDir, result);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const color = terminalColorEnabled(process.stdout, process.env);
    process.stdout.write(`${renderTerminalReport(result, { color, reportDir })}\n`);
  }
  log(`report: ${relative(process.cwd(), files.reportHtml) || files.reportHtml}`);
  return result;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export function exitCodeOf(valid: Validity): ExitCodeValue {
  if (valid === true) return ExitCode.Valid;
  return valid === false ? ExitCode.Violated : ExitCode.Unknown;
}

export function parsePatterns(text: string): string[] {
  const patterns = text.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = patterns.find((p) => !/^[a-z][a-z0-9-]*$/.test(p));
  if (patterns.length === 0 || bad !== undefined) {
    throw new UsageError(`--patterns "${text}": give pattern names separated by commas, e.g. coupled,decoupled`);
  }
  return [...new Set(patterns)];
}

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number of at least 1`);
    return n;
  };
}

function integer(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} ${value}: expected a whole number`);
    return n | 0;
  };
}
