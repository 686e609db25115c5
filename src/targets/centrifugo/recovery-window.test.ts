import { expect, it } from 'vitest';
import { RecoveryWindow } from './recovery-window.js';

it('keeps what is offered synchronously after open() and lets later items through as live', async () => {
  const window = new RecoveryWindow<number>();
  const replays: number[][] = [];
  expect(window.offer(0)).toBe(false);
  window.open((replayed) => replays.push(replayed));
  expect(window.offer(1)).toBe(true);
  expect(window.offer(2)).toBe(true);
  await Promise.resolve();
  expect(replays).toEqual([[1, 2]]);
  expect(window.offer(3)).toBe(false);
});

it('closes an empty replay too (a recovery with nothing missed is still recorded)', async () => {
  const window = new RecoveryWindow<number>();
  const replays: number[][] = [];
  window.open((replayed) => replays.push(replayed));
  await Promise.resolve();
  expect(replays).toEqual([[]]);
});
