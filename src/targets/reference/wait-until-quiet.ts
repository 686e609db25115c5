/** What `/healthz` says of work the server still owes (DESIGN.md §7; `outbox` only for that pattern). */
interface HealthWork {
  bus?: { queued?: number };
  outbox?: { pending?: number };
}

/**
 * Waits until the server's asynchronous work is done (event bus drained, outbox empty), or the deadline passes:
 * the end of a run should judge delivery after the server had its chance, not while a broadcast is in flight.
 * Returns whether it got quiet. A server without these counters is quiet.
 */
export async function waitUntilQuiet(httpUrl: string, deadlineMs: number, signal?: AbortSignal, pollMs = 50): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    signal?.throwIfAborted();
    const health = await fetch(new URL('/healthz', httpUrl), { signal: AbortSignal.timeout(2_000) })
      .then((response) => (response.ok ? (response.json() as Promise<HealthWork>) : undefined))
      .catch(() => undefined);
    if (health && (health.bus?.queued ?? 0) === 0 && (health.outbox?.pending ?? 0) === 0) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
