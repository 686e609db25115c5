/** p50 and p99 (nearest rank) of a sample, in its unit; NaN for an empty sample. */
export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
}

export function percentiles(sample: readonly number[]): Percentiles {
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { count: sorted.length, p50: rank(0.5), p99: rank(0.99) };
}

/** a / b rounded to 3 places; NaN when either is not a positive number. */
export function ratio(a: number, b: number): number {
  return b > 0 && a >= 0 ? Math.round((a / b) * 1000) / 1000 : Number.NaN;
}
