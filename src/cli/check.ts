import { Command } from 'commander';
import { checkHistory } from '../harness/checker/check-history.js';
import { readHistoryArg } from './read-history-arg.js';
import { renderVerdictBlock } from '../report/verdict-block.js';
import { invariantFindings } from '../report/invariant-findings.js';
import { witnessOperations } from '../report/witness-operations.js';
import { terminalColorEnabled } from '../report/terminal-color.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { exitCodeOf } from './suite-command.js';

/** `ackproof check HISTORY.jsonl`: re-check a saved history, with the same exit codes as `run`. */
export function checkCommand(slot: ExitSlot): Command {
  return new Command('check')
    .description('re-check a saved history (*.jsonl, the format in the README)')
    .argument('<history>', 'a history file written by run, compare or replay')
    .option('--json', 'print the check result as JSON')
    .action(
      exitWith(slot, async (file: string, options: { json?: boolean }) => {
        const history = await readHistoryArg(file);
        const result = checkHistory(history);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          const meta = history[0]?.type === 'meta' ? history[0] : undefined;
          if (meta) process.stdout.write(`${meta.scenario} / ${meta.target ?? meta.pattern} (seed ${meta.seed}), ${history.length} records\n`);
          process.stdout.write(`${renderVerdictBlock(result, { color: terminalColorEnabled(process.stdout, process.env) })}\n`);
          // Which operations broke each invariant, so the reader can go to them in the file.
          for (const broken of invariantFindings(result, 5).broken) {
            const lines = broken.witnesses.flatMap((w) => [`  - ${w.description}`, ...witnessOperations(history, w).map((op) => `      ${op}`)]);
            if (broken.omitted > 0) lines.push(`  … and ${broken.omitted} more (--json lists them all)`);
            process.stdout.write(`${broken.label}:\n${lines.join('\n')}\n`);
          }
        }
        return exitCodeOf(result.valid);
      }),
    );
}
