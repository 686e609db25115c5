import { describe, expect, it } from 'vitest';
import { commandCount, lengthSpread } from './harness-speed.js';

describe('harness speed figure', () => {
  it('counts a run\'s commands as the scenario does: a fault window, with what ran in it, is one', () => {
    const ran = ['alice send general', 'start broadcast.throw', 'bob send general', 'carol edit 1', 'heal broadcast.throw', 'bob delete 0'];
    expect(commandCount(ran)).toBe(3);
    expect(commandCount([])).toBe(0);
    expect(commandCount(['start ws.reset alice', 'heal ws.reset alice'])).toBe(1);
  });

  it('states the spread of run lengths', () => {
    expect(lengthSpread([30, 15, 45, 20])).toEqual({ min: 15, p50: 20, mean: 27.5, max: 45 });
  });
});
