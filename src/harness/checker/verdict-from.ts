import type { Verdict, Witness } from './verdict.js';

/**
 * A checker's verdict from what it found: any witness makes it false (evidence decides even when part of the
 * history is missing); otherwise anything it could not look at makes it unknown; otherwise true.
 */
export function verdictFrom(summary: string, witnesses: Witness[], undecidable: string[] = []): Verdict {
  if (witnesses.length > 0) return { valid: false, summary, witnesses };
  if (undecidable.length > 0) return { valid: 'unknown', summary, error: undecidable.join('; ') };
  return { valid: true, summary };
}

/** The run could not decide: say why, as both the summary and the error. */
export function undecided(reason: string): Verdict {
  return { valid: 'unknown', summary: reason, error: reason };
}
