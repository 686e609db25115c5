/** How every report prints numbers: fixed locale so reports and golden files do not depend on the machine. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `9.4 ms`, `48 ms`, `1.25 s`; `–` when nothing was measured. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${round(ms, 1)} ms` : `${Math.round(ms)} ms`;
}

/** A rate in [0, 1] as `87.1%`; `–` when undefined (nothing acknowledged). */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/** `850 ms`, `8.4 s`, `1m 32s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${round(ms / 1000, 1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

function round(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}
