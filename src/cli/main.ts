import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EnvironmentError } from '../proc/environment-error.js';
import type { ExitSlot } from './command-action.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';
import { COMMANDS } from './commands.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The CLI: builds the commands, runs one, and turns every outcome into one of Jepsen's exit codes. */
export async function main(argv: string[]): Promise<ExitCodeValue> {
  // `ackproof scenarios | head`: a reader that went away ends the output, not the process with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const slot: ExitSlot = { code: ExitCode.Valid };
  const program = new Command('ackproof')
    .description('Prove that a chat backend never loses a message it acknowledged.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const create of COMMANDS) program.addCommand(create(slot).exitOverride());
  try {
    await program.parseAsync(argv);
    return slot.code;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    return error.exitCode === 0 ? ExitCode.Valid : ExitCode.UsageOrEnvironment;
  }
  if (error instanceof UsageError || error instanceof EnvironmentError) {
    process.stderr.write(`ackproof: ${error.message}\n`);
    return ExitCode.UsageOrEnvironment;
  }
  process.stderr.write(`ackproof: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.Unknown;
}

/**
 * Ends the CLI process with `code` once its output is flushed. A finished command exits even if some library left
 * a handle open: the harness never hangs after its work is done (children and temp dirs are cleaned up by the
 * clean-up registry's exit hook).
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
