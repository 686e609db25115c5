import { Command } from 'commander';
import { probeDatabase } from '../mongo/probe/probe-database.js';
import { summarizeProbe, type DatabaseProbeSummary } from '../mongo/probe/probe-summary.js';
import { STORE_REQUIREMENTS } from '../mongo/probe/store-requirements.js';
import { resolveDatabase } from '../mongo/resolve-database.js';
import { renderProbeTable } from '../report/probe-table.js';
import { terminalColorEnabled, terminalPalette } from '../report/terminal-color.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { ExitCode, type ExitCodeValue } from './exit-code.js';

interface ProbeDbOptions {
  mongoUri?: string;
  json?: boolean;
  fresh?: boolean;
}

/**
 * `ackproof probe-db`: a short Jepsen-style probe of the database in use for the properties the reference store's
 * patterns rest on. Exit 0 every property holds, 1 one is broken (whether or not the store needs it), 2 a probe
 * could not decide, 3 no database.
 */
export function probeDbCommand(slot: ExitSlot): Command {
  return new Command('probe-db')
    .description('measure whether the database keeps single-document writes atomic and unique indexes exclusive under concurrency')
    .option('--mongo-uri <uri>', 'database to probe (beats MONGODB_URI; default: the embedded resolver)')
    .option('--json', 'print the result as JSON')
    .option('--fresh', 'measure again instead of using the cached result for this database version')
    .addHelpText(
      'after',
      [
        '',
        'Properties: concurrent-inc, cas-vs-other-field, unique-insert-race, concurrent-upsert, unique-compound-insert.',
        'Each races writes on several connections in a scratch database that is dropped afterwards (a few seconds in all).',
        'Results are cached per database version under ${XDG_CACHE_HOME:-~/.cache}/ackproof/db-probe/.',
        'Exit codes: 0 all hold, 1 one is broken, 2 a probe could not decide, 3 no database.',
      ].join('\n'),
    )
    .action(exitWith(slot, (options: ProbeDbOptions) => probeDb(options)));
}

async function probeDb(options: ProbeDbOptions): Promise<ExitCodeValue> {
  const log = (line: string) => process.stderr.write(`ackproof probe-db: ${line}\n`);
  const database = await resolveDatabase({ mongoUri: options.mongoUri, log });
  let summary: DatabaseProbeSummary;
  try {
    const outcome = await probeDatabase(database, { fresh: options.fresh === true, log });
    summary = summarizeProbe(outcome, { patterns: Object.keys(STORE_REQUIREMENTS), unsafeAllowed: false });
  } finally {
    await database.stop();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(renderProbeTable(summary, terminalPalette(terminalColorEnabled(process.stdout, process.env))));
  return summary.verdict === 'holds' ? ExitCode.Valid : summary.verdict === 'broken' ? ExitCode.Violated : ExitCode.Unknown;
}
