import { Command } from 'commander';
import { checkHistory } from '../harness/checker/check-history.js';
import { HistoryFormatError } from '../history/history-format-error.js';
import { readHistory } from '../history/read-history.js';
import { renderVerdictBlock } from '../report/verdict-block.js';
import { terminalColorEnabled } from '../report/terminal-color.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { exitCodeOf } from './suite-command.js';

/** `ackproof check HISTORY.jsonl`: re-check a saved history, with the same exit codes as `run`. */
export function checkCommand(slot: ExitSlot): Command {
  return new Command('check')
    .description('re-check a saved history (*.jsonl, the format in the README)')
    .argument('<history>', 'a history file written by run, compare or replay')
    .option('--json', 'print the check result as JSON')
    .action(
      exitWith(slot, async (file: string, options: { json?: boolean }) => {
        let history;
        try {
          history = await readHistory(file);
        } catch (error) {
          if (error instanceof HistoryFormatError) throw new UsageError(`malformed history: ${error.message}`);
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: no such file`);
          throw error;
        }
        const result = checkHistory(history);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          const meta = history[0]?.type === 'meta' ? history[0] : undefined;
          if (meta) process.stdout.write(`${meta.scenario} / ${meta.pattern} (seed ${meta.seed}), ${history.length} records\n`);
          process.stdout.write(`${renderVerdictBlock(result, { color: terminalColorEnabled(process.stdout, process.env) })}\n`);
        }
        return exitCodeOf(result.valid);
      }),
    );
}
