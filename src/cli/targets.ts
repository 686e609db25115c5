import { Command } from 'commander';
import type { TargetFactory } from '../harness/sut/target.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { ExitCode } from './exit-code.js';
import { KNOWN_TARGETS, resolveTargets } from './target-registry.js';

/** `ackproof targets [MODULE...]`: the systems ackproof can test, with what each can do, or JSON. */
export function targetsCommand(slot: ExitSlot): Command {
  return new Command('targets')
    .description('list the targets (systems under test) and their capabilities; modules given by path are listed too')
    .argument('[modules...]', 'target module paths to load and list (see docs/writing-a-target.md)')
    .option('--json', 'machine-readable output')
    .action(
      exitWith(slot, async (modules: string[], options: { json?: boolean }) => {
        const targets = [...KNOWN_TARGETS, ...(modules.length ? await resolveTargets(modules.join(','), 'targets') : [])];
        if (options.json) {
          const rows = targets.map(({ id, description, capabilities }) => ({ id, description, capabilities }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return ExitCode.Valid;
        }
        for (const target of targets) process.stdout.write(`${describeTarget(target)}\n`);
        return ExitCode.Valid;
      }),
    );
}

function describeTarget({ id, description, capabilities: can }: TargetFactory): string {
  const links = Object.entries(can.links).filter(([, on]) => on).map(([name]) => name);
  const lines = [
    `${id}  ${description}`,
    `  edit ${yes(can.edit)}, delete ${yes(can.delete)}, crash ${yes(can.crash)}, db.kill ${yes(can.dbKill)}; ` +
      `fault points: ${can.faultPoints.join(', ') || 'none'}; links: ${links.join(', ') || 'none'}`,
    ...Object.entries(can.notPromised).map(([id, why]) => `  not promised: ${id}: ${why}`),
    ...Object.entries(can.notPromisedUnder?.recoveryWindow ?? {}).map(([id, why]) => `  not promised past a scenario's recoveryWindow: ${id}: ${why}`),
    ...Object.entries(can.notPromisedUnder?.faults ?? {}).flatMap(([fault, reasons]) =>
      Object.entries(reasons ?? {}).map(([id, why]) => `  not promised under ${fault}: ${id}: ${why}`),
    ),
  ];
  return lines.join('\n');
}

function yes(value: boolean): string {
  return value ? 'yes' : 'no';
}
