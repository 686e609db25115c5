import { describe, expect, it } from 'vitest';
import { runPool, type PoolOptions } from './worker-pool.js';

/** A work item the test finishes by hand: the pool's state is observed between explicit steps, never by timing. */
interface Gate {
  index: number;
  finish(): void;
  fail(error: Error): void;
}

function gatedPool(count: number, options: PoolOptions<number>) {
  const started: number[] = [];
  const open = new Map<number, Gate>();
  let running = 0;
  let most = 0;
  const items = Array.from({ length: count }, (_, i) => i);
  let settled = false;
  const done = runPool(items, options, (item, index) => {
    expect(item).toBe(index);
    started.push(index);
    running++;
    most = Math.max(most, running);
    return new Promise<void>((resolve, reject) => {
      const close = () => {
        running--;
        open.delete(index);
      };
      open.set(index, { index, finish: () => (close(), resolve()), fail: (error) => (close(), reject(error)) });
    });
  }).finally(() => (settled = true));
  // Lets every callback queued by a finished item (the pool's settle handlers, the next start) run.
  const tick = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    done,
    started,
    running: () => [...open.keys()],
    most: () => most,
    settled: () => settled,
    finish: async (index: number) => (open.get(index)!.finish(), tick()),
    fail: async (index: number, error: Error) => (open.get(index)!.fail(error), tick()),
    tick,
  };
}

describe('runPool', () => {
  it('never runs more than N at once, and starts each item as soon as a slot frees, in order', async () => {
    const pool = gatedPool(5, { workers: 2 });
    await pool.tick();
    expect(pool.running()).toEqual([0, 1]);
    await pool.finish(1);
    expect(pool.running()).toEqual([0, 2]);
    await pool.finish(0);
    expect(pool.running()).toEqual([2, 3]);
    await pool.finish(3);
    expect(pool.running()).toEqual([2, 4]);
    expect(pool.settled()).toBe(false);
    await pool.finish(4);
    await pool.finish(2);
    await pool.done;
    expect(pool.started).toEqual([0, 1, 2, 3, 4]);
    expect(pool.most()).toBe(2);
  });

  it('with one worker, one after another', async () => {
    const pool = gatedPool(3, { workers: 1 });
    for (const i of [0, 1, 2]) {
      await pool.tick();
      expect(pool.running()).toEqual([i]);
      await pool.finish(i);
    }
    await pool.done;
    expect(pool.most()).toBe(1);
  });

  it('more workers than items: all start at once; no items: resolves at once', async () => {
    const pool = gatedPool(3, { workers: 8 });
    await pool.tick();
    expect(pool.running()).toEqual([0, 1, 2]);
    for (const i of [2, 0, 1]) await pool.finish(i);
    await pool.done;
    await expect(runPool([], { workers: 2 }, () => Promise.reject(new Error('never called')))).resolves.toBeUndefined();
  });

  it('once stopped, nothing more starts; what runs finishes, then the pool resolves', async () => {
    let stopped = false;
    const pool = gatedPool(5, { workers: 2, stopped: () => stopped });
    await pool.tick();
    stopped = true;
    await pool.finish(0);
    expect(pool.running()).toEqual([1]);
    expect(pool.settled()).toBe(false);
    await pool.finish(1);
    await pool.done;
    expect(pool.started).toEqual([0, 1]);
  });

  it('an item marked alone waits for the others to finish, and nothing starts beside it', async () => {
    const pool = gatedPool(5, { workers: 3, alone: (item) => item === 2 });
    await pool.tick();
    // 2 must run alone: the pool does not start it beside 0 and 1, nor skip past it to 3.
    expect(pool.running()).toEqual([0, 1]);
    await pool.finish(0);
    expect(pool.running()).toEqual([1]);
    await pool.finish(1);
    expect(pool.running()).toEqual([2]);
    await pool.finish(2);
    expect(pool.running()).toEqual([3, 4]);
    await pool.finish(3);
    await pool.finish(4);
    await pool.done;
  });

  it('a failing item stops further starts; the pool rejects with it once the others settle', async () => {
    const pool = gatedPool(5, { workers: 2 });
    await pool.tick();
    const outcome = pool.done.catch((error: unknown) => error);
    await pool.fail(0, new Error('disk full'));
    expect(pool.running()).toEqual([1]);
    expect(pool.settled()).toBe(false);
    await pool.finish(1);
    expect(await outcome).toEqual(new Error('disk full'));
    expect(pool.started).toEqual([0, 1]);
  });

  it('refuses a worker count below 1', () => {
    expect(() => runPool([1], { workers: 0 }, async () => undefined)).toThrow(RangeError);
  });
});
