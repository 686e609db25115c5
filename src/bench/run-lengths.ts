/** The lengths of property runs in commands, a fault window counting as one (as `workload.ops` counts it). */
export interface RunLengths {
  runs: number;
  fewest: number;
  median: number;
  mean: number;
  most: number;
}

/**
 * Commands in one run's `ran` list (RunModel.ran): a window is its `start …` line, its operations and its
 * `heal …` line, and counts as one. (Client operations' lines start with the client's id, never `start `/`heal `.)
 */
export function commandCount(ran: readonly string[]): number {
  let commands = 0;
  let inWindow = false;
  for (const line of ran) {
    if (inWindow) {
      if (line.startsWith('heal ')) inWindow = false;
      continue;
    }
    commands += 1;
    if (line.startsWith('start ')) inWindow = true;
  }
  return commands;
}

/** Fewest, median (the lower of two middles), mean (one decimal) and most commands of these runs; NaN when none. */
export function runLengths(runs: readonly (readonly string[])[]): RunLengths {
  const counts = runs.map(commandCount).sort((a, b) => a - b);
  const mean = counts.reduce((sum, n) => sum + n, 0) / counts.length;
  return {
    runs: counts.length,
    fewest: counts[0] ?? Number.NaN,
    median: counts[Math.floor((counts.length - 1) / 2)] ?? Number.NaN,
    mean: counts.length ? Math.round(mean * 10) / 10 : Number.NaN,
    most: counts.at(-1) ?? Number.NaN,
  };
}
