import { describe, expect, it } from 'vitest';
import { quoteText } from './quote-text.js';

describe('quoteText', () => {
  it('quotes a short text whole and cuts a long one at a code point, saying its length', () => {
    expect(quoteText('hi 👍')).toBe('"hi 👍"');
    const long = `${'👍'.repeat(59)}${'x'.repeat(3000)}`;
    expect(quoteText(long)).toBe(`"${'👍'.repeat(59)}x…" (3,118 characters)`);
  });
});
