import { expect, it } from 'vitest';
import { FairLimiter } from './fair-limiter.js';

/** A task the test finishes by hand, recording when it started. */
function gate(log: string[], name: string): { task: () => Promise<string>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

it('never runs more than its concurrency, nor more than perKey for one key', async () => {
  const limiter = new FairLimiter(3, 2);
  const log: string[] = [];
  const gates = Array.from({ length: 6 }, (_, i) => gate(log, `a${i}`));
  const results = gates.map((g) => limiter.run('a', g.task));
  await Promise.resolve();
  expect(log).toEqual(['a0', 'a1']);
  gates[0]!.finish();
  await results[0];
  expect(log).toEqual(['a0', 'a1', 'a2']);
  for (const g of gates) g.finish();
  expect(await Promise.all(results)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
  expect(limiter.pending()).toBe(0);
});

it('gives a key that queued one task a slot within one turn, not after a key that queued a thousand', async () => {
  const limiter = new FairLimiter(1, 1);
  const log: string[] = [];
  const hog = Array.from({ length: 1000 }, (_, i) => gate(log, `hog${i}`));
  const hogDone = hog.map((g) => limiter.run('hog', g.task));
  const other = gate(log, 'other');
  const otherDone = limiter.run('other', other.task);
  other.finish();
  for (let i = 0; !log.includes('other'); i++) {
    hog[i]!.finish();
    await hogDone[i];
  }
  await otherDone;
  // At most the hog's running task and the one whose turn was already due went first (FIFO would run all 1,000).
  expect(log.indexOf('other')).toBeLessThanOrEqual(2);
  for (const g of hog) g.finish();
  await Promise.all(hogDone);
});

it('passes a failed task\'s error to its caller and goes on with the rest', async () => {
  const limiter = new FairLimiter(1, 1);
  const failed = limiter.run('a', () => Promise.reject(new Error('boom')));
  const thrown = limiter.run('a', () => {
    throw new Error('sync boom');
  });
  await expect(failed).rejects.toThrow('boom');
  await expect(thrown).rejects.toThrow('sync boom');
  expect(await limiter.run('a', async () => 'next')).toBe('next');
});
