import { Command, Option } from 'commander';
import { exitWith, type ExitSlot } from './command-action.js';
import { loadScenarioArgs } from './load-scenario-args.js';
import { addSuiteOptions, parsePatterns, runSuiteCommand, type SuiteFlags } from './suite-command.js';

/** `ackproof run [SCENARIO...] --pattern P`: run, check, report; exit 0 / 1 / 2 as the guarantees held. */
export function runCommand(slot: ExitSlot): Command {
  const command = new Command('run')
    .description('run scenarios against one pattern of the reference server, check every guarantee, report')
    .argument('[scenarios...]', 'scenario files or folders (default: the shipped scenarios)')
    .addOption(new Option('--pattern <pattern>', 'coupled, decoupled or outbox').default('decoupled'));
  return addSuiteOptions(command).action(
    exitWith(slot, async (paths: string[], flags: SuiteFlags & { pattern: string }) => {
      const patterns = parsePatterns(flags.pattern, '--pattern');
      const scenarios = await loadScenarioArgs(paths);
      const { exitCode } = await runSuiteCommand('run', scenarios, patterns, flags);
      return exitCode;
    }),
  );
}
