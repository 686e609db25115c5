import { constants } from 'node:os';
import { disposeAllNow } from './cleanup-registry.js';

/** The signals that ask ackproof to stop: Ctrl-C, `kill`, a closed terminal. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface InterruptWatch {
  /** Aborted on the first signal; `reason` is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Stops watching (the process's default signal handling is back). */
  dispose(): void;
}

/**
 * Turns SIGINT/SIGTERM/SIGHUP into an orderly stop: the first one aborts `signal` so the caller can finish what it
 * has (write its reports, stop its children); a second one, or `forceAfterMs` without the caller finishing, kills
 * every registered child and temp dir at once and exits with 128 + the signal's number.
 */
export function watchInterrupts(options: { forceAfterMs: number; log?: (line: string) => void }): InterruptWatch {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let force: NodeJS.Timeout | undefined;
  const forceExit = (signal: NodeJS.Signals) => {
    disposeAllNow();
    process.exit(signalExitCode(signal));
  };
  const on = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      options.log?.(`${signal} again: stopping at once`);
      forceExit(received);
    }
    received = signal;
    options.log?.(`${signal}: stopping (writing what was checked so far; ${signal === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again stops at once)`);
    force = setTimeout(() => {
      options.log?.(`still stopping after ${options.forceAfterMs} ms: killing what is left`);
      forceExit(signal);
    }, options.forceAfterMs);
    controller.abort(signal);
  };
  for (const signal of SIGNALS) process.on(signal, on);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      clearTimeout(force);
      for (const signal of SIGNALS) process.off(signal, on);
    },
  };
}

/** The shell's convention for a process ended by a signal: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
