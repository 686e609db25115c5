/** A `waitFor` that ran out of time; names what was awaited. */
export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT';
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
    this.name = 'WaitTimeoutError';
  }
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/**
 * Waiting on conditions instead of sleeping: the owner calls `changed()` after every state change it makes (an
 * event recorded, a frame applied), and each pending `waitFor` re-evaluates its predicate then. A predicate already
 * true resolves at once, so a caller can never miss an event that happened before it started waiting.
 */
export class ConditionWaiters {
  readonly #waiters = new Set<Waiter>();

  waitFor<T>(probe: () => T | undefined | false, timeoutMs: number, what = 'a condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined | false;
          try {
            value = probe();
          } catch (error) {
            return settle(() => reject(error));
          }
          if (value !== undefined && value !== false) settle(() => resolve(value));
        },
        fail: (error) => settle(() => reject(error)),
      };
      const timer = setTimeout(() => waiter.fail(new WaitTimeoutError(what, timeoutMs)), timeoutMs);
      const settle = (finish: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        finish();
      };
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  /** Re-evaluate every pending predicate. */
  changed(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  /** Reject every pending wait (the owner is going away). */
  failAll(error: Error): void {
    for (const waiter of [...this.#waiters]) waiter.fail(error);
  }
}
