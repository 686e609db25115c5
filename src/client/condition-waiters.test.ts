import { describe, expect, it } from 'vitest';
import { ConditionWaiters, WaitTimeoutError } from './condition-waiters.js';

describe('ConditionWaiters', () => {
  it('resolves at once when the condition already holds, else on the change that makes it hold', async () => {
    const waiters = new ConditionWaiters();
    let value: number | undefined;
    value = 1;
    await expect(waiters.waitFor(() => value, 1000)).resolves.toBe(1);
    value = undefined;
    const later = waiters.waitFor(() => value, 1000);
    value = 2;
    waiters.changed();
    await expect(later).resolves.toBe(2);
  });

  it('times out naming what was awaited, and failAll rejects every pending wait', async () => {
    const waiters = new ConditionWaiters();
    await expect(waiters.waitFor(() => false, 20, 'the moon')).rejects.toThrow(WaitTimeoutError);
    await expect(waiters.waitFor(() => false, 20, 'the moon')).rejects.toThrow(/waiting for the moon/);
    const pending = waiters.waitFor(() => false, 10_000);
    waiters.failAll(new Error('closed'));
    await expect(pending).rejects.toThrow('closed');
  });

  it('a probe that throws rejects the wait', async () => {
    const waiters = new ConditionWaiters();
    await expect(
      waiters.waitFor(() => {
        throw new Error('bad probe');
      }, 1000),
    ).rejects.toThrow('bad probe');
  });
});
