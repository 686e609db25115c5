import { describe, expect, it } from 'vitest';
import { RunInputs } from './run-inputs.js';

describe('RunInputs', () => {
  it('makes every text unique in the run, shaped as drawn: a piece before it, or filled to the exact length', () => {
    const inputs = new RunInputs(3);
    const texts = [
      inputs.text('alice'),
      inputs.text('alice', { kind: 'emoji', piece: '👨‍👩‍👧‍👦' }),
      inputs.text('alice', { kind: 'lone-surrogate', piece: '\uD83D' }),
      inputs.text('bob', { kind: 'long', length: 4001, fill: 'é' }),
      inputs.text('bob', { kind: 'long', length: 4000, fill: 'x' }, true),
    ];
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.slice(0, 3)).toEqual(['alice #1 (run 3)', '👨‍👩‍👧‍👦 alice #2 (run 3)', '\uD83D alice #3 (run 3)']);
    expect(texts[3]).toHaveLength(4001);
    expect(texts[4]).toHaveLength(4000);
    expect(texts[4]).toMatch(/^bob #5 \(run 3\) \(edited\) x+$/);
  });

  it('reuses the keys sent so far: another user\'s, its own from another room, its own from this room; else a fresh one', () => {
    const inputs = new RunInputs(0);
    expect(inputs.key('alice', 'general', { kind: 'other-user', pick: 0 })).toBeUndefined();
    expect(inputs.key('alice', 'general', { kind: 'fresh' })).toBeUndefined();
    inputs.used('alice', 'general', 'a1');
    inputs.used('alice', 'random', 'a2');
    inputs.used('bob', 'general', 'b1');
    inputs.used('bob', 'general', 'b1');
    expect(inputs.key('alice', 'general', { kind: 'other-user', pick: 7 })).toBe('b1');
    expect(inputs.key('alice', 'general', { kind: 'other-room', pick: 0 })).toBe('a2');
    expect(inputs.key('alice', 'general', { kind: 'retry-other-text', pick: 5 })).toBe('a1');
    expect(inputs.key('bob', 'general', { kind: 'other-room', pick: 0 })).toBeUndefined();
    expect(inputs.key('bob', 'general', { kind: 'other-user', pick: 1 })).toBe('a2');
    expect(inputs.send('bob', 'general', { key: { kind: 'retry-other-text', pick: 0 }, text: { kind: 'plain' } })).toEqual({
      text: 'bob #1 (run 0)',
      clientMsgId: 'b1',
    });
  });
});
