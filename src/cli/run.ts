import { Command, Option } from 'commander';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { loadScenarioArgs } from './load-scenario-args.js';
import { addSuiteOptions, runSuiteCommand, type SuiteFlags } from './suite-command.js';
import { withTopology, resolveTargets } from './target-registry.js';

/** `ackproof run [SCENARIO...] --target T`: run, check, report; exit 0 / 1 / 2 as the guarantees held. */
export function runCommand(slot: ExitSlot): Command {
  const command = new Command('run')
    .description('run scenarios against one system under test (a target), check every guarantee, report')
    .argument('[scenarios...]', 'scenario files or folders (default: the shipped scenarios)')
    .addOption(new Option('--target <target>', 'the system under test: a target name (`ackproof targets`) or a module path (default reference:decoupled)'))
    .addOption(new Option('--pattern <pattern>', 'shorthand for --target reference:<pattern>: coupled, decoupled or outbox'))
    .addOption(new Option('--nodes <n>', 'run the reference server as N nodes on one database').argParser(nodeCount))
    .addOption(new Option('--fanout <mode>', 'with --nodes: redis-pubsub or redis-streams (Debian redis-server, started on a free port)'));
  return addSuiteOptions(command).action(
    exitWith(slot, async (paths: string[], flags: SuiteFlags & { target?: string; pattern?: string; nodes?: number; fanout?: string }) => {
      if (flags.target && flags.pattern) throw new UsageError('give --target or --pattern, not both');
      const named = flags.pattern
        ? await resolveTargets(flags.pattern, '--pattern')
        : await resolveTargets(flags.target ?? 'reference:decoupled', '--target');
      const targets = withTopology(named, flags.nodes ?? 1, [flags.fanout ?? (flags.nodes && flags.nodes > 1 ? 'redis-streams' : 'none')]);
      if (targets.length !== 1) throw new UsageError(`run takes one target (got ${targets.map((t) => t.id).join(', ')}); use compare for several`);
      const scenarios = await loadScenarioArgs(paths);
      const { exitCode } = await runSuiteCommand('run', scenarios, targets, flags);
      return exitCode;
    }),
  );
}

/** `--nodes`: 1 to 9 server processes. */
export function nodeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new UsageError(`--nodes ${value}: give a whole number of nodes from 1 to 9`);
  return n;
}
