import type { Validity } from '../harness/checker/verdict.js';
import { validityLabel } from './case-outcome.js';
import { interruptedSentence } from './case-error-text.js';
import { thresholdTally } from './threshold-lines.js';
import type { ExpectationResult, RunResult } from '../harness/result/result-model.js';

/**
 * The one sentence that opens every report. With expectations (compare) it is about them, since they decide the
 * exit code; otherwise about the cases' verdicts.
 */
export function resultHeadline(result: RunResult): { valid: Validity; text: string } {
  const decided = decidedHeadline(result);
  const thresholds = thresholdTally(result);
  const headline = thresholds === undefined ? decided : { valid: decided.valid, text: `${decided.text}; ${thresholds}` };
  return result.interrupted ? { valid: headline.valid, text: `${headline.text} (${interruptedSentence(result)})` } : headline;
}

function decidedHeadline(result: RunResult): { valid: Validity; text: string } {
  const expectations = result.expectations ?? [];
  if (expectations.length > 0) {
    const unmet = expectations.filter((e) => !e.met).length;
    const text =
      unmet === 0
        ? `All ${expectations.length} expectations met`
        : `${unmet} of ${expectations.length} expectations unmet`;
    return { valid: result.valid, text };
  }
  const total = result.cases.length;
  const failed = result.cases.filter((c) => c.valid === false).length;
  const undecided = result.cases.filter((c) => c.valid === 'unknown').length;
  const parts: string[] = [];
  if (failed > 0) parts.push(`${failed} of ${total} ${plural(total, 'case')} broke an invariant`);
  if (undecided > 0) parts.push(`${undecided} of ${total} could not be checked`);
  const text = parts.length > 0 ? parts.join('; ') : `Every invariant held in ${total} ${plural(total, 'case')}`;
  return { valid: result.valid, text };
}

/** `decoupled on baseline: expected PASS, got UNKNOWN` (`*` reads as every scenario). */
export function expectationSentence(e: ExpectationResult): string {
  const where = e.scenario === '*' ? 'every scenario' : e.scenario;
  return `${e.target} on ${where}: expected ${e.expected.toUpperCase()}, got ${validityLabel(e.actual)}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
