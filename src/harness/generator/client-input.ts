import fc from 'fast-check';
import { DEFAULT_KEYS, DEFAULT_TEXTS, type ScenarioInputs } from '../scenario/scenario-schema.js';

/**
 * The inputs of a send or an edit as the generator draws them (issue 13): which clientMsgId a send takes and what
 * its text looks like. The run world turns them into strings (RunInputs), keeping every text unique in the run.
 * Each list starts with its simplest piece, so fast-check shrinks towards it.
 */

/** Whose clientMsgId a send takes; `pick` chooses among the candidates (mod their count). */
export type KeyChoice =
  | { kind: 'fresh' }
  | { kind: 'other-user' | 'other-room' | 'retry-other-text'; pick: number };

/** What a text looks like besides the run-unique part: a piece before it, or a length to fill it to. */
export type TextShape =
  | { kind: 'plain' }
  | { kind: 'emoji' | 'combining' | 'rtl' | 'lone-surrogate'; piece: string }
  | { kind: 'long'; length: number; fill: string };

export interface SendInput {
  key: KeyChoice;
  text: TextShape;
}

export const PLAIN_SEND: SendInput = { key: { kind: 'fresh' }, text: { kind: 'plain' } };

/** Emoji as clients send them: a single code point beyond the BMP, a ZWJ family, a flag, a skin tone, a keycap. */
export const EMOJI = ['👍', '👨‍👩‍👧‍👦', '🇯🇵', '👍🏽', '1️⃣', '🏳️‍🌈'];
/** Combining marks: a decomposed é (NFD; a server that normalizes to NFC changes it), stacked marks, Hangul jamo. */
export const COMBINING = ['e\u0301', 'n\u0303o\u0308', 'Z\u0351\u0334\u0362a\u0300\u0301\u0302', '\u1100\u1161\u11A8'];
/** Right-to-left: a mark, an override, an isolate, Arabic and Hebrew words, a mix with digits. */
export const RTL = ['\u200F', '\u202Eabc\u202C', '\u2067مرحبا\u2069', 'שלום', 'مرحبا 123 שלום'];
/** Lone surrogates (not valid Unicode): a high half alone, a low half alone, a pair cut in two, reversed halves. */
export const LONE_SURROGATES = ['\uD83D', '\uDC4D', 'x\uD83D y', '\uDC4D\uD83D'];
/** What long texts are filled with: one UTF-16 code unit each, so the length lands where it was drawn. */
export const FILLS = ['x', 'é', '—', 'ي'];

/** Whether the scenario asks for anything but plain sends with fresh keys (else the generator draws nothing more). */
export function drawsInputs(inputs: ScenarioInputs): boolean {
  const differs = (given: Record<string, number>, plain: Record<string, number>) =>
    Object.keys(plain).some((k) => (given[k] ?? 0) !== plain[k]);
  return differs(inputs.keys, DEFAULT_KEYS) || differs(inputs.texts, DEFAULT_TEXTS);
}

/** A text shape in the proportions of `inputs.texts`. */
export function textShapes(inputs: ScenarioInputs): fc.Arbitrary<TextShape> {
  const { texts, maxTextLength } = inputs;
  const piece = (kind: 'emoji' | 'combining' | 'rtl' | 'lone-surrogate', pieces: string[]) =>
    fc.constantFrom(...pieces).map((p): TextShape => ({ kind, piece: p }));
  return weighted<TextShape>([
    [texts.plain, fc.constant({ kind: 'plain' })],
    [texts.emoji, piece('emoji', EMOJI)],
    [texts.combining, piece('combining', COMBINING)],
    [texts.rtl, piece('rtl', RTL)],
    [texts.loneSurrogate, piece('lone-surrogate', LONE_SURROGATES)],
    [
      texts.long,
      fc
        .tuple(fc.integer({ min: maxTextLength - 3, max: maxTextLength + 1 }), fc.constantFrom(...FILLS))
        .map(([length, fill]): TextShape => ({ kind: 'long', length, fill })),
    ],
  ]);
}

/** A send's inputs in the proportions of `inputs.keys` and `inputs.texts`. */
export function sendInputs(inputs: ScenarioInputs): fc.Arbitrary<SendInput> {
  const { keys } = inputs;
  const reuse = (kind: 'other-user' | 'other-room' | 'retry-other-text') =>
    fc.nat(20).map((pick): KeyChoice => ({ kind, pick }));
  const key = weighted<KeyChoice>([
    [keys.fresh, fc.constant({ kind: 'fresh' })],
    [keys.otherUser, reuse('other-user')],
    [keys.otherRoom, reuse('other-room')],
    [keys.retryOtherText, reuse('retry-other-text')],
  ]);
  return fc.record({ key, text: textShapes(inputs) });
}

/** `(bob's key, emoji text)`: what a command label adds to say how its inputs differ from a plain send. */
export function describeInput(input: { key?: KeyChoice; text: TextShape }): string {
  const parts: string[] = [];
  if (input.key && input.key.kind !== 'fresh') parts.push(`${input.key.kind} key #${input.key.pick}`);
  if (input.text.kind === 'long') parts.push(`${input.text.length}-character text`);
  else if (input.text.kind !== 'plain') parts.push(`${input.text.kind} text ${JSON.stringify(input.text.piece)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** fc.oneof over the entries with a weight above 0 (a scenario gives at least one; else plain). */
function weighted<T>(entries: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> {
  const given = entries.filter(([weight]) => weight > 0).map(([weight, arbitrary]) => ({ weight: toWeight(weight), arbitrary }));
  return given.length > 0 ? fc.oneof(...given) : entries[0]![1];
}

/** fc.oneof takes integer weights; scenario weights may be fractions. */
function toWeight(weight: number): number {
  return Math.max(1, Math.round(weight * 100));
}
