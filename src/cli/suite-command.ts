import { Option, type Command } from 'commander';
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import type { Validity } from '../harness/checker/verdict.js';
import type { LoadedScenario } from '../harness/scenario/load-scenarios.js';
import { runSuite, type SuiteOptions } from '../harness/runner/run-suite.js';
import { databaseRefusal, UNSAFE_DATABASE_ENV, UNSAFE_DATABASE_FLAG } from '../mongo/probe/database-refusal.js';
import { handOver, probeDatabase, PROBE_HANDOVER_ENV } from '../mongo/probe/probe-database.js';
import { summarizeProbe } from '../mongo/probe/probe-summary.js';
import { SuiteStoppedError } from '../harness/runner/suite-stopped-error.js';
import type { Database } from '../mongo/database.js';
import { resolveDatabase } from '../mongo/resolve-database.js';
import { watchInterrupts } from '../proc/interrupt.js';
import { parseShard, ShardSyntaxError, type Shard } from '../harness/runner/shard.js';
import { judgeThresholds } from '../harness/thresholds/judge-thresholds.js';
import { METRIC_NAMES, parseThreshold, scopeMatchesTarget, ThresholdSyntaxError, type Threshold } from '../harness/thresholds/threshold.js';
import { isPatternName } from '../server/patterns/pattern-registry.js';
import type { TargetFactory } from '../harness/sut/target.js';
import { formatProgress } from '../report/progress-line.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';
import { renderTerminalReport } from '../report/terminal-report.js';
import { terminalColorEnabled } from '../report/terminal-color.js';
import { writeReportDir } from '../report/write-report-dir.js';
import { ExitCode, exitCodeOfSignal, UsageError, type ExitCodeValue } from './exit-code.js';

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
  threshold?: Threshold[];
  shard?: Shard;
  workers?: number;
}

export function addSuiteOptions(command: Command): Command {
  return command
    .addOption(new Option('--runs <n>', 'property runs per scenario (default: each scenario file\'s runs)').argParser(positiveInt('--runs')))
    .addOption(new Option('--seed <s>', 'base seed; the same seed replays the same command sequences').argParser(integer('--seed')))
    .option('--report-dir <dir>', 'where to write histories and reports (default reports/<time>-<command>/)')
    .option('--json', 'print result.json to stdout instead of the table')
    .option('--mongo-uri <uri>', 'database to use (beats MONGODB_URI; default: the embedded resolver)')
    .addHelpText(
      'after',
      '\nExit codes: 0 every guarantee held, 1 one was violated, 2 a case could not decide, 3 usage or environment error;\n' +
        'SIGINT/SIGTERM stop the run, write the reports of what it has (marked interrupted) and exit 130/143.',
    )
    .addOption(
      new Option('--shrink-seconds <s>', 'time budget to shrink a counterexample').default(60).argParser(positiveInt('--shrink-seconds')),
    )
    .addOption(
      new Option(UNSAFE_DATABASE_FLAG, 'run even on a database that breaks a property the store needs (see `ackproof probe-db`); marked UNSAFE')
        .env(UNSAFE_DATABASE_ENV),
    )
    .option('--fresh-probe', 'measure the database again instead of using the cached probe result')
    .addOption(
      new Option('--threshold <threshold>', `[SCENARIO/][TARGET:]METRIC OP VALUE, e.g. live-delivery>=0.99 or outbox:ack-p99<=500ms (repeatable; metrics: ${METRIC_NAMES.join(', ')}); an unmet one fails the run`)
        .argParser((value: string, previous: Threshold[] = []) => [...previous, toThreshold(value)]),
    )
    .addOption(new Option('--shard <i/n>', 'run only the i-th of n deterministic slices of the cases (CI matrix); `ackproof merge` joins the reports').argParser(toShard))
    .addOption(
      new Option('--workers <n>', `cases run at once, each on its own target (default 1; auto: half the CPUs, here ${autoWorkers()}); same verdicts, same report order`)
        .argParser(toWorkers),
    );
}

/** How long a stop may take (the case under way winds down, the reports are written) before everything is killed. */
const STOP_DEADLINE_MS = 20_000;

/**
 * Runs scenarios against patterns with the shared flags, writes the report directory, prints the table (or JSON),
 * and returns the result with its exit code (`finish` may re-judge the result first, as compare does).
 *
 * SIGINT/SIGTERM stop the run in order: the case under way ends, the reports of what was decided are written
 * (marked interrupted), every child process and temp dir is removed, and the exit code is 128 + the signal.
 */
export async function runSuiteCommand(
  command: RunResult['command'],
  scenarios: LoadedScenario[],
  targets: TargetFactory[],
  flags: SuiteFlags,
  extra: { replay?: SuiteOptions['replay']; finish?: (result: RunResult) => RunResult } = {},
): Promise<{ result: RunResult; exitCode: ExitCodeValue }> {
  checkThresholdScopes(flags.threshold ?? [], scenarios, targets);
  const seed = flags.seed ?? randomInt(2 ** 31);
  const reportDir = flags.reportDir ?? join('reports', `${new Date().toISOString().replace(/[:.]/g, '-')}-${command}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const tty = Boolean(process.stderr.isTTY);
  const interrupts = watchInterrupts({ forceAfterMs: STOP_DEADLINE_MS, log: (line) => log(`${tty ? '\r\x1b[2K' : ''}ackproof ${command}: ${line}`) });
  try {
    let database: Database | undefined;
    let result: RunResult;
    let stoppedBy: Error | undefined;
    const inherited = { probe: process.env[PROBE_HANDOVER_ENV], unsafe: process.env[UNSAFE_DATABASE_ENV] };
    try {
      database = await resolveDatabase({ mongoUri: flags.mongoUri, log });
      // Once per database, before any case: refuse here (exit 3) rather than in every server child.
      const measured = await probeDatabase(database, { fresh: flags.freshProbe === true, log });
      // The store requirements are the reference server's; other targets are judged by their own promises.
      const patterns = targets.map((t) => t.id.replace(/^reference:/, '')).filter(isPatternName);
      const probe = summarizeProbe(measured, { patterns, unsafeAllowed: flags.unsafeDatabase === true });
      const refusal = databaseRefusal(probe);
      if (refusal) throw new UsageError(refusal);
      log(`database ${database.kind}: ${database.version}, ${probe.sentence}`);
      // The `ackproof serve` children inherit the result (and the permission), so none of them probes again.
      process.env[PROBE_HANDOVER_ENV] = handOver(measured.result);
      if (probe.unsafe) process.env[UNSAFE_DATABASE_ENV] = '1';
      log(`ackproof ${command}: ${scenarios.length} scenario(s) x ${targets.map((t) => t.id).join(', ')}, seed ${seed}${(flags.workers ?? 1) > 1 ? `, ${flags.workers} cases at a time` : ''}`);
      const progressShown = new Set<number>();
      result = await runSuite({
        command,
        scenarios,
        targets,
        ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
        seed,
        shrinkBudgetMs: flags.shrinkSeconds * 1000,
        reportDir,
        database,
        toolVersion: version,
        signal: interrupts.signal,
        ...(extra.replay ? { replay: extra.replay } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
        ...(flags.workers ? { workers: flags.workers } : {}),
        onProgress: (progress) => {
          // On a terminal one line, rewritten (with --workers, by whichever case moved last; each names its case).
          if (tty) process.stderr.write(`\r\x1b[2K${formatProgress(progress)}`);
          // Not a terminal (CI logs): one line when each case's first run is done, not one per run.
          else if (!progressShown.has(progress.caseNumber)) log(formatProgress(progress));
          progressShown.add(progress.caseNumber);
        },
        onCase: (c) => log(`${tty ? '\r\x1b[2K' : ''}${c.id}: ${caseVerdict(c)} (${c.runs} runs, ${(c.durationMs / 1000).toFixed(1)} s)`),
      });
      result = { ...result, database: { ...result.database, probe } };
    } catch (error) {
      if (!(error instanceof SuiteStoppedError)) throw error;
      // The environment failed mid-suite: report what was decided, then exit 3 with its message.
      result = error.result;
      stoppedBy = error.reason;
    } finally {
      restoreEnv(PROBE_HANDOVER_ENV, inherited.probe);
      restoreEnv(UNSAFE_DATABASE_ENV, inherited.unsafe);
      await database?.stop();
    }
    if (extra.finish) result = extra.finish(result);
    result = judgeThresholds(result, flags.threshold ?? []);
    const files = await writeReportDir(reportDir, result);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const color = terminalColorEnabled(process.stdout, process.env);
      process.stdout.write(`${renderTerminalReport(result, { color, reportDir })}\n`);
    }
    // The terminal report ends with the report's path; only --json (stdout is the JSON) needs it said here.
    if (flags.json) log(`report: ${relative(process.cwd(), files.reportHtml) || files.reportHtml}`);
    if (stoppedBy) throw stoppedBy;
    const signal = interrupts.received;
    return { result, exitCode: signal && result.interrupted ? exitCodeOfSignal(signal) : exitCodeOf(result.valid) };
  } finally {
    interrupts.dispose();
  }
}

function caseVerdict(c: CaseResult): string {
  if (c.skipped) return `SKIPPED: ${c.error?.message ?? ''}`;
  if (c.valid === true) return 'PASS';
  if (c.valid === false) return `FAIL ${c.counterexample?.violated.join(' ') ?? ''}`.trimEnd();
  return c.error ? `UNKNOWN ${c.error.code}: ${c.error.message}` : 'UNKNOWN';
}

function toShard(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    if (error instanceof ShardSyntaxError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--workers auto`: half the CPUs this process may use (each case is a server child and the harness driving it). */
export function autoWorkers(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

function toWorkers(value: string): number {
  if (value.trim() === 'auto') return autoWorkers();
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--workers ${value}: give a whole number of cases to run at once, at least 1 (e.g. --workers 2), or auto (here ${autoWorkers()})`);
  }
  return n;
}

function toThreshold(value: string): Threshold {
  try {
    return parseThreshold(value);
  } catch (error) {
    if (error instanceof ThresholdSyntaxError) throw new UsageError(`--threshold: ${error.message}`);
    throw error;
  }
}

/** A threshold scoped to a target or scenario that is not run is a typo, not a threshold quietly met. */
function checkThresholdScopes(thresholds: readonly Threshold[], scenarios: readonly LoadedScenario[], targets: readonly TargetFactory[]): void {
  for (const t of thresholds) {
    if (!targets.some((f) => scopeMatchesTarget(t.target, f.id))) {
      throw new UsageError(`--threshold ${t.text}: "${t.target}" is not among the targets ${targets.map((f) => f.id).join(',')}`);
    }
    if (t.scenario !== undefined && !scenarios.some((s) => s.scenario.name === t.scenario)) {
      throw new UsageError(`--threshold ${t.text}: no scenario "${t.scenario}" is run`);
    }
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export function exitCodeOf(valid: Validity): ExitCodeValue {
  if (valid === true) return ExitCode.Valid;
  return valid === false ? ExitCode.Violated : ExitCode.Unknown;
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
