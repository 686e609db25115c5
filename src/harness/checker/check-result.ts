import type { Measures } from './measures.js';
import type { InvariantId, Validity, Verdict } from './verdict.js';

/** What the checker makes of one history: pure data, history in, this out. */
export interface CheckResult {
  valid: Validity;
  invariants: Record<InvariantId, Verdict>;
  measures: Measures;
}
