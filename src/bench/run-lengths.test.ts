import { describe, expect, it } from 'vitest';
import { commandCount, runLengths } from './run-lengths.js';

describe('run lengths', () => {
  it('counts a fault window (start, its operations, heal) as one command', () => {
    const ran = [
      'alice sends to general',
      'start broadcast.throw',
      'bob sends to general',
      'carol edits own message #3',
      'heal broadcast.throw',
      'burst of 3 concurrent sends',
    ];
    expect(commandCount(ran)).toBe(3);
    // A window left open (the run ended inside it) is still one.
    expect(commandCount(['start broadcast.throw', 'alice sends to general'])).toBe(1);
  });

  it('gives fewest, median, mean and most over the runs', () => {
    const runs = [['a sends'], ['a sends', 'b sends', 'c sends'], ['start x', 'a sends', 'heal x', 'b sends'], ['a sends', 'b sends', 'c sends', 'd sends', 'e sends', 'f sends']];
    expect(runLengths(runs)).toEqual({ runs: 4, fewest: 1, median: 2, mean: 3, most: 6 });
    expect(runLengths([]).mean).toBeNaN();
  });
});
