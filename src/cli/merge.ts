import { Command } from 'commander';
import { cp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MergeError, mergeShards } from '../harness/result/merge-shards.js';
import { renderTerminalReport } from '../report/terminal-report.js';
import { terminalColorEnabled } from '../report/terminal-color.js';
import { writeReportDir } from '../report/write-report-dir.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { readResult } from './read-result.js';
import { exitCodeOf } from './suite-command.js';

/** `ackproof merge DIR... --report-dir OUT`: the reports of `--shard 1/n` ... `n/n` as one, in every format. */
export function mergeCommand(slot: ExitSlot): Command {
  return new Command('merge')
    .description('merge the report directories of a sharded run (--shard i/n) into one report, in every format')
    .argument('<report-dirs...>', 'the report directory of every shard')
    .requiredOption('--report-dir <dir>', 'where to write the merged report')
    .option('--json', 'print the merged result.json to stdout instead of the table')
    .addHelpText('after', '\nExit codes: as the unsharded run would have exited (0 held, 1 violated, 2 unknown); 3 when the shards do not make one suite.')
    .action(
      exitWith(slot, async (dirs: string[], flags: { reportDir: string; json?: boolean }) => {
        const results = await Promise.all(dirs.map(readResult));
        let merged;
        try {
          merged = mergeShards(results);
        } catch (error) {
          if (error instanceof MergeError) throw new UsageError(`cannot merge: ${error.message}`);
          throw error;
        }
        // The histories the reports link to, relative to the report dir: every shard's, side by side (names are per case).
        for (const dir of dirs) {
          const histories = join(dir, 'histories');
          if (await stat(histories).catch(() => undefined)) await cp(histories, join(flags.reportDir, 'histories'), { recursive: true });
        }
        await writeReportDir(flags.reportDir, merged);
        if (flags.json) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
        else process.stdout.write(`${renderTerminalReport(merged, { color: terminalColorEnabled(process.stdout, process.env), reportDir: flags.reportDir })}\n`);
        return exitCodeOf(merged.valid);
      }),
    );
}
