import { Command } from 'commander';
import { join } from 'node:path';
import { readResult } from './read-result.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { replayScenario } from './replay-scenario.js';
import { addSuiteOptions, runSuiteCommand, type SuiteFlags } from './suite-command.js';
import { resolveTargets } from './target-registry.js';

/** `ackproof replay REPORT_DIR --case ID`: re-run one counterexample from its seed and path. */
export function replayCommand(slot: ExitSlot): Command {
  const command = new Command('replay')
    .description('re-run one counterexample of a report from its seed and path')
    .argument('<report-dir>', 'a report directory (holding result.json)')
    .requiredOption('--case <id>', 'the case id, <scenario>/<target>, as the report names it')
    .option('--target-module <path>', 'the module the case\'s target came from, when it is not one ackproof knows');
  return addSuiteOptions(command).action(
    exitWith(slot, async (dir: string, flags: SuiteFlags & { case: string; targetModule?: string }) => {
      const previous = await readResult(dir);
      const found = previous.cases.find((c) => c.id === flags.case);
      if (!found) {
        const ids = previous.cases.map((c) => c.id).join(', ');
        throw new UsageError(`no case "${flags.case}" in ${dir}/result.json (cases: ${ids})`);
      }
      if (!found.counterexample) throw new UsageError(`case ${found.id} has no counterexample to replay (it was ${String(found.valid)})`);
      const scenario = await replayScenario(found, join(dir, 'result.json'));
      const { seed, path, commandsReplayPath } = found.counterexample;
      const targets = flags.targetModule
        ? (await resolveTargets(flags.targetModule, '--target-module')).filter((t) => t.id === found.target)
        : await resolveTargets(found.target, 'the case\'s target');
      if (targets.length === 0) throw new UsageError(`--target-module ${flags.targetModule}: exports no target ${found.target}`);
      const { exitCode } = await runSuiteCommand('replay', [scenario], targets, { ...flags, seed: previous.seed }, {
        replay: { caseId: found.id, path, ...(commandsReplayPath ? { commandsReplayPath } : {}), seed },
      });
      return exitCode;
    }),
  );
}
