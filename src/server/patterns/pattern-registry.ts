import { coupledPattern } from './coupled.js';
import { decoupledPattern } from './decoupled.js';
import { outboxPattern } from './outbox.js';
import type { PatternFactory } from './pattern.js';

/** The patterns `serve --pattern` offers; a new one is one file plus one line here. */
export const PATTERNS = {
  coupled: coupledPattern,
  decoupled: decoupledPattern,
  outbox: outboxPattern,
} satisfies Record<string, PatternFactory>;

export type PatternName = keyof typeof PATTERNS;

export function isPatternName(name: string): name is PatternName {
  return Object.hasOwn(PATTERNS, name);
}
