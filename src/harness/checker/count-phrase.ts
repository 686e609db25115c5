/** `1,284` — counts as a person reads them in a summary line. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 lie`, `1,284 lies`. */
export function countPhrase(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** `c1, c2 and 3 more` — a short list of names inside a sentence. */
export function shortList(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
