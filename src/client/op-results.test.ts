import { expect, it } from 'vitest';
import { retryDelayMs, worthRetrying, type OpResult } from './op-results.js';

const refused = (code: string, retryAfterMs?: number): OpResult => ({
  op: 1,
  status: 'fail',
  httpStatus: 503,
  error: { code, message: 'x', outcome: 'not_applied', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
});

it('retries a send the server shed (OVERLOADED), as it retries other transient refusals', () => {
  expect(worthRetrying(refused('OVERLOADED'))).toBe(true);
  expect(worthRetrying(refused('STORE_UNAVAILABLE'))).toBe(true);
  expect(worthRetrying(refused('NOT_A_MEMBER'))).toBe(false);
});

it('waits at least what Retry-After asked before the next attempt, else its own backoff', () => {
  expect(retryDelayMs(50, 1, refused('OVERLOADED', 1_000))).toBe(1_000);
  expect(retryDelayMs(50, 2, refused('OVERLOADED'))).toBe(100);
  expect(retryDelayMs(5_000, 1, refused('OVERLOADED', 1_000))).toBe(5_000);
});
