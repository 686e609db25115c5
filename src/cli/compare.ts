import { Command, Option } from 'commander';
import {
  ExpectationSyntaxError,
  expectationsValidity,
  judgeExpectations,
  parseExpectation,
  type Expectation,
} from '../harness/expectations/expectation.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { UsageError } from './exit-code.js';
import { loadScenarioArgs } from './load-scenario-args.js';
import { nodeCount } from './run.js';
import { addSuiteOptions, runSuiteCommand, type SuiteFlags } from './suite-command.js';
import { resolveTargets, targetIdOf, withTopology } from './target-registry.js';

export const DEFAULT_TARGETS = 'reference:coupled,reference:decoupled,reference:outbox';

/**
 * `ackproof compare [SCENARIO...] --targets a,b --expect a=fail`: the same seeds against each target, one
 * side-by-side report; exit 0 when every expectation is met (the scenario files' own when none is given).
 */
export function compareCommand(slot: ExitSlot): Command {
  const command = new Command('compare')
    .description('run the same seeds and fault schedules against several targets and compare them side by side')
    .argument('[scenarios...]', 'scenario files or folders (default: the shipped scenarios)')
    .addOption(new Option('--targets <list>', `targets or module paths, comma-separated (default ${DEFAULT_TARGETS})`))
    .addOption(new Option('--patterns <list>', 'shorthand for reference targets: coupled,decoupled,outbox'))
    .addOption(new Option('--nodes <n>', 'run each reference target as N nodes on one database').argParser(nodeCount))
    .addOption(new Option('--fanout <list>', 'with --nodes: redis-pubsub, redis-streams or both, comma-separated (each a target of its own)'))
    .addOption(
      new Option('--expect <expectation>', 'TARGET=pass|fail over all scenarios, or SCENARIO/TARGET=pass|fail (repeatable; a pattern name means its reference target)')
        .argParser((value: string, previous: Expectation[] = []) => [...previous, toExpectation(value)]),
    );
  return addSuiteOptions(command).action(
    exitWith(slot, async (paths: string[], flags: SuiteFlags & { targets?: string; patterns?: string; nodes?: number; fanout?: string; expect?: Expectation[] }) => {
      if (flags.targets && flags.patterns) throw new UsageError('give --targets or --patterns, not both');
      const named = flags.patterns
        ? await resolveTargets(flags.patterns, '--patterns')
        : await resolveTargets(flags.targets ?? DEFAULT_TARGETS, '--targets');
      const fanouts = (flags.fanout ?? (flags.nodes && flags.nodes > 1 ? 'redis-streams' : 'none')).split(',').map((f) => f.trim()).filter(Boolean);
      const targets = withTopology(named, flags.nodes ?? 1, fanouts);
      const ids = targets.map((t) => t.id);
      const expectations = (flags.expect ?? []).map((e) => ({ ...e, target: targetIdOf(e.target) }));
      const stray = expectations.find((e) => !ids.includes(e.target));
      if (stray) throw new UsageError(`--expect ${stray.target}=${stray.expected}: "${stray.target}" is not among the targets ${ids.join(',')}`);
      const scenarios = await loadScenarioArgs(paths);
      const { exitCode } = await runSuiteCommand('compare', scenarios, targets, flags, {
        finish: (r) => {
          const judged = judgeExpectations(r.cases, expectations);
          return { ...r, expectations: judged, valid: expectationsValidity(judged) };
        },
      });
      return exitCode;
    }),
  );
}

function toExpectation(value: string): Expectation {
  try {
    return parseExpectation(value);
  } catch (error) {
    if (error instanceof ExpectationSyntaxError) throw new UsageError(error.message);
    throw error;
  }
}
