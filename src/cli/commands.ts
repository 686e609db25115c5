import type { Command } from 'commander';
import type { ExitSlot } from './command-action.js';
import { checkCommand } from './check.js';
import { compareCommand } from './compare.js';
import { exportCommand } from './export.js';
import { mergeCommand } from './merge.js';
import { probeDbCommand } from './probe-db.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenarios.js';
import { serveCommand } from './serve.js';
import { targetsCommand } from './targets.js';

/** Every CLI command, one file each; each factory gets the slot its action writes the exit code to. */
export const COMMANDS: ((slot: ExitSlot) => Command)[] = [
  serveCommand,
  runCommand,
  compareCommand,
  checkCommand,
  replayCommand,
  mergeCommand,
  exportCommand,
  scenariosCommand,
  targetsCommand,
  probeDbCommand,
];
