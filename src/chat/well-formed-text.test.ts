import { describe, expect, it } from 'vitest';
import { loneSurrogateAt } from './well-formed-text.js';

describe('loneSurrogateAt', () => {
  it('finds half a surrogate pair, alone or at either end, and passes whole pairs, emoji sequences and plain text', () => {
    expect(loneSurrogateAt('\ud83d alice')).toBe(0);
    expect(loneSurrogateAt('bob \ude00')).toBe(4);
    expect(loneSurrogateAt('\ude00\ud83d')).toBe(0);
    expect(loneSurrogateAt('😀 👩‍👩‍👧 é ‮abc‬')).toBe(-1);
    expect(loneSurrogateAt('')).toBe(-1);
  });
});
