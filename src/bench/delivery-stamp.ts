/**
 * A send's start time carried inside the message text, so the swarm process can time each delivery without a
 * shared table: the text is `~sent:<epoch ms>~` padded to the bench's text length, and it survives any server's
 * framing (a `message.created` event, a Centrifugo push, the bare broadcast) because none of these characters is
 * escaped in JSON.
 */
const OPEN = '~sent:';
const CLOSE = '~';

/**
 * Wall-clock epoch milliseconds with sub-millisecond resolution. The bench process stamps with it and the swarm
 * process reads it: both are on the same machine, so they share the clock `performance.timeOrigin` is taken from.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A message text of exactly `bytes` characters (or the stamp alone, if longer) that says when it was sent. */
export function stampedText(sentAtMs: number, bytes: number): string {
  return `${OPEN}${sentAtMs.toFixed(3)}${CLOSE}`.padEnd(bytes, 'x');
}

/** Every send time stamped in `frame` (a frame may carry several messages), in order. */
export function stampsIn(frame: string): number[] {
  const stamps: number[] = [];
  for (let at = frame.indexOf(OPEN); at >= 0; at = frame.indexOf(OPEN, at + 1)) {
    const end = frame.indexOf(CLOSE, at + OPEN.length);
    if (end < 0) break;
    const sentAt = Number(frame.slice(at + OPEN.length, end));
    if (Number.isFinite(sentAt) && end > at + OPEN.length) stamps.push(sentAt);
  }
  return stamps;
}
