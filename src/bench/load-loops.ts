/**
 * Starts `count` operations at a fixed rate (open loop: each starts on schedule whether or not the previous one
 * has answered, so a slow answer cannot hide the wait of the ones behind it) and returns each one's latency in ms.
 */
export async function openLoop(count: number, perSecond: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = new Array<number>(count);
  const started = performance.now();
  const runs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    // Pacing the schedule, not waiting for a condition.
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    runs.push(op(i).then(() => void (latencies[i] = performance.now() - t0)));
  }
  await Promise.all(runs);
  return latencies;
}

/** Runs `op` with `concurrency` in flight until `total` have completed; returns the elapsed ms. */
export async function closedLoop(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return performance.now() - started;
}

/** Runs `op` with `concurrency` in flight for `durationMs`; returns how many completed and the elapsed ms. */
export async function timedLoop(
  durationMs: number,
  concurrency: number,
  op: (worker: number, i: number) => Promise<void>,
): Promise<{ completed: number; elapsedMs: number; perSecond: number }> {
  let completed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      await op(w, i);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  return { completed, elapsedMs, perSecond: (completed * 1000) / elapsedMs };
}
