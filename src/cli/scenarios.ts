import { Command } from 'commander';
import { exitWith, type ExitSlot } from './command-action.js';
import { ExitCode } from './exit-code.js';
import { loadScenarioArgs } from './load-scenario-args.js';

/** `ackproof scenarios [PATH...]`: one line per scenario (name, faults, expectations), or JSON. */
export function scenariosCommand(slot: ExitSlot): Command {
  return new Command('scenarios')
    .description('list scenarios (the shipped ones by default), one line each')
    .argument('[paths...]', 'scenario files or folders')
    .option('--json', 'machine-readable output')
    .action(
      exitWith(slot, async (paths: string[], options: { json?: boolean }) => {
        const loaded = await loadScenarioArgs(paths);
        if (options.json) {
          const rows = loaded.map(({ file, scenario }) => ({ file, ...scenario }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return ExitCode.Valid;
        }
        const width = Math.max(...loaded.map((l) => l.scenario.name.length));
        for (const { scenario } of loaded) {
          const faults = scenario.faults.map((f) => f.name).join(', ') || 'no faults';
          const expect = Object.entries(scenario.expect).map(([p, v]) => `${p}=${v}`).join(' ');
          const gist = scenario.description.split(/(?<=\.)\s/)[0];
          process.stdout.write(`${scenario.name.padEnd(width)}  ${gist} [${faults}; expects ${expect}]\n`);
        }
        return ExitCode.Valid;
      }),
    );
}
