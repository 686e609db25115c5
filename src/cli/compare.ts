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
import { addSuiteOptions, parsePatterns, runSuiteCommand, type SuiteFlags } from './suite-command.js';

export const DEFAULT_PATTERNS = 'coupled,decoupled,outbox';

/**
 * `ackproof compare [SCENARIO...] --patterns a,b --expect a=fail`: the same seeds against each pattern, one
 * side-by-side report; exit 0 when every expectation is met (the scenario files' own when none is given).
 */
export function compareCommand(slot: ExitSlot): Command {
  const command = new Command('compare')
    .description('run the same seeds and fault schedules against several patterns and compare them side by side')
    .argument('[scenarios...]', 'scenario files or folders (default: the shipped scenarios)')
    .addOption(new Option('--patterns <list>', 'patterns, comma-separated').default(DEFAULT_PATTERNS))
    .addOption(
      new Option('--expect <expectation>', 'PATTERN=pass|fail over all scenarios, or SCENARIO/PATTERN=pass|fail (repeatable)')
        .argParser((value: string, previous: Expectation[] = []) => [...previous, toExpectation(value)]),
    );
  return addSuiteOptions(command).action(
    exitWith(slot, async (paths: string[], flags: SuiteFlags & { patterns: string; expect?: Expectation[] }) => {
      const patterns = parsePatterns(flags.patterns);
      const expectations = flags.expect ?? [];
      const stray = expectations.find((e) => !patterns.includes(e.pattern));
      if (stray) throw new UsageError(`--expect ${stray.pattern}=${stray.expected}: "${stray.pattern}" is not in --patterns ${patterns.join(',')}`);
      const scenarios = await loadScenarioArgs(paths);
      const { exitCode } = await runSuiteCommand('compare', scenarios, patterns, flags, {
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
