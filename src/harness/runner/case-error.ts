/** Why a case could not decide, as the reports show it: a code a program can match and a sentence a person reads. */
export interface CaseError {
  code: string;
  message: string;
}

/**
 * Any thrown value as a CaseError: its own `code` if it has one (EnvironmentError, ProcessStartError, AdminError,
 * NotSupportedError), else the first errno-like code on its cause chain (fetch wraps ECONNREFUSED twice), else
 * HARNESS_ERROR. The message follows the causes, so "fetch failed" says what failed.
 */
export function caseError(error: unknown): CaseError {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === 'string' && c.length > 0);
  const sentences = chain.map((e) => (e instanceof Error ? e.message : String(e))).filter((m, i, all) => m && all.indexOf(m) === i);
  return { code: code ?? 'HARNESS_ERROR', message: sentences.join(': ') || 'unknown error' };
}
