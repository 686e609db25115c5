import { Command, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { readHistoryArg } from './read-history-arg.js';
import { renderEdnHistory, renderElleJsonHistory } from '../history/export/edn.js';
import { jepsenOps } from '../history/export/jepsen-ops.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { ExitCode } from './exit-code.js';

/** `ackproof export --format edn|elle-json HISTORY.jsonl`: a history as Jepsen ops, for Jepsen's and Elle's tools. */
export function exportCommand(slot: ExitSlot): Command {
  return new Command('export')
    .description('write a history as Jepsen operations: EDN (history.edn) or the JSON array elle-cli reads')
    .argument('<history>', 'a history file written by run, compare or replay')
    .addOption(new Option('--format <format>', 'edn or elle-json').choices(['edn', 'elle-json']).makeOptionMandatory())
    .option('-o, --output <file>', 'write here instead of stdout')
    .addHelpText('after', '\nCheck it with elle-cli: java -jar elle-cli-standalone.jar --model set-full history.json (see the README).')
    .action(
      exitWith(slot, async (file: string, options: { format: 'edn' | 'elle-json'; output?: string }) => {
        const history = await readHistoryArg(file);
        const ops = jepsenOps(history);
        const text = options.format === 'edn' ? renderEdnHistory(ops) : renderElleJsonHistory(ops);
        if (options.output) await writeFile(options.output, text);
        else process.stdout.write(text);
        return ExitCode.Valid;
      }),
    );
}
