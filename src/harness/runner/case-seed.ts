/**
 * The seed of one scenario's property: the run's base seed mixed with the scenario name (FNV-1a), the same for every
 * pattern, so `compare` puts each pattern through identical command sequences and fault schedules.
 */
export function caseSeed(baseSeed: number, scenario: string): number {
  let hash = 0x811c9dc5;
  for (const char of scenario) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ baseSeed) | 0;
}
