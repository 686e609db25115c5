import { Chalk } from 'chalk';

/** The few styles the terminal renderers use; all identity functions when color is off. */
export interface TerminalPalette {
  pass: (text: string) => string;
  fail: (text: string) => string;
  unknown: (text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
}

/** The caller decides color (see terminalColorEnabled); renderers never look at the process themselves. */
export function terminalPalette(color: boolean): TerminalPalette {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return {
    pass: (text) => chalk.green(text),
    fail: (text) => chalk.red.bold(text),
    unknown: (text) => chalk.yellow(text),
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
  };
}

/**
 * The usual rules (https://no-color.org, FORCE_COLOR): NO_COLOR set and non-empty turns color off; FORCE_COLOR
 * turns it on unless it is `0` or `false`; otherwise color only on a terminal.
 */
export function terminalColorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}
