import type { Verdict, Witness } from '../harness/checker/verdict.js';

/** Tests only: the witnesses of a violated verdict; throws (failing the test) with its summary when it is not one. */
export function witnessesOf(verdict: Verdict): Witness[] {
  if (verdict.valid !== false) throw new Error(`expected a violation, got ${String(verdict.valid)}: ${verdict.summary}`);
  return verdict.witnesses;
}
