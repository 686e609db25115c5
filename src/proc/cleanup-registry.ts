/**
 * Everything ackproof started that must not outlive it (child processes, temp dirs), in one place, so a normal
 * end, an exception, a signal or `process.exit` all leave the machine as it was.
 *
 * Each entry has an orderly `dispose` (used by `disposeAll`, e.g. after SIGINT) and a synchronous `disposeNow`
 * (SIGKILL, rmSync) for the `exit` event, where nothing asynchronous runs any more. The exit hook is installed on
 * the first registration, so importing this module changes nothing.
 */
export interface Leftover {
  /** For diagnostics, e.g. "ferretdb (pid 123)". */
  readonly description: string;
  dispose(): Promise<void>;
  disposeNow(): void;
}

const leftovers = new Set<Leftover>();
let exitHookInstalled = false;

/** Registers a leftover; call the returned function once it is gone by other means. */
export function registerLeftover(leftover: Leftover): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', disposeAllNow);
  }
  leftovers.add(leftover);
  return () => {
    leftovers.delete(leftover);
  };
}

/** What is still registered (newest last). */
export function liveLeftovers(): Leftover[] {
  return [...leftovers];
}

/** Disposes everything still registered, newest first (a server before the database it uses), each at most once. */
export async function disposeAll(): Promise<void> {
  for (const leftover of [...leftovers].reverse()) {
    leftovers.delete(leftover);
    await leftover.dispose().catch(() => leftover.disposeNow());
  }
}

/** Synchronous last resort: SIGKILL every process, remove every temp dir. */
export function disposeAllNow(): void {
  for (const leftover of [...leftovers].reverse()) {
    leftovers.delete(leftover);
    try {
      leftover.disposeNow();
    } catch {
      // Best effort at exit: one failure must not keep the others alive.
    }
  }
}
