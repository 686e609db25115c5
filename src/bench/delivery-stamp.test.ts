import { describe, expect, it } from 'vitest';
import { stampedText, stampsIn } from './delivery-stamp.js';

describe('delivery stamp', () => {
  it('makes a text of exactly the bench length that carries its send time', () => {
    const text = stampedText(1767225600123.456, 100);
    expect(text).toHaveLength(100);
    expect(text.startsWith('~sent:1767225600123.456~x')).toBe(true);
    expect(stampsIn(text)).toEqual([1767225600123.456]);
  });

  it('reads the stamp out of any framing of the text, and every stamp of a frame that carries several', () => {
    const a = stampedText(1000.5, 40);
    const b = stampedText(2000.25, 40);
    const event = JSON.stringify({ type: 'message.created', message: { id: 'm', text: a, seq: 1 } });
    expect(stampsIn(event)).toEqual([1000.5]);
    const push = (text: string, offset: number) => JSON.stringify({ push: { channel: 'room:fanout', pub: { data: { text }, offset } } });
    expect(stampsIn(`${push(a, 1)}\n${push(b, 2)}`)).toEqual([1000.5, 2000.25]);
  });

  it('finds nothing in a frame without a stamp or with a broken one', () => {
    expect(stampsIn('{"type":"subscribed","rooms":["fanout"]}')).toEqual([]);
    expect(stampsIn('~sent:~ ~sent:12abc~ ~sent:99')).toEqual([]);
  });
});
