import { Command, Option } from 'commander';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { loadScenarioArgs } from './load-scenario-args.js';
import { addSuiteOptions, runSuiteCommand, type SuiteFlags } from './suite-command.js';
import { resolveTargets } from './target-registry.js';

/** `ackproof run [SCENARIO...] --target T`: run, check, report; exit 0 / 1 / 2 as the guarantees held. */
export function runCommand(slot: ExitSlot): Command {
  const command = new Command('run')
    .description('run scenarios against one system under test (a target), check every guarantee, report')
    .argument('[scenarios...]', 'scenario files or folders (default: the shipped scenarios)')
    .addOption(new Option('--target <target>', 'the system under test: a target name (`ackproof targets`) or a module path (default reference:decoupled)'))
    .addOption(new Option('--pattern <pattern>', 'shorthand for --target reference:<pattern>: coupled, decoupled or outbox'));
  return addSuiteOptions(command).action(
    exitWith(slot, async (paths: string[], flags: SuiteFlags & { target?: string; pattern?: string }) => {
      if (flags.target && flags.pattern) throw new UsageError('give --target or --pattern, not both');
      const targets = flags.pattern
        ? await resolveTargets(flags.pattern, '--pattern')
        : await resolveTargets(flags.target ?? 'reference:decoupled', '--target');
      if (targets.length !== 1) throw new UsageError(`run takes one target (got ${targets.map((t) => t.id).join(', ')}); use compare for several`);
      const scenarios = await loadScenarioArgs(paths);
      const { exitCode } = await runSuiteCommand('run', scenarios, targets, flags);
      return exitCode;
    }),
  );
}
