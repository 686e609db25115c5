import { countPhrase } from './count-phrase.js';
import type { AcknowledgedMessage, HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { verdictFrom } from './verdict-from.js';

/**
 * I9 honest recovery: a client that the system told its recovery was complete (`recovered: true` on a catch-up,
 * as Centrifugo and Socket.IO say) holds, by the end of that catch-up, every message acknowledged while it was
 * away: after its connection closed and before the new one opened. Only those count: a message acknowledged
 * before the close and not yet received may have been in flight, one acknowledged after the open may not be in the
 * system's history when it answered. Systems that claim nothing (the reference server) have nothing to check.
 * Witness: `unrecovered-claimed`, one per (recovery, message).
 */
export function checkHonestRecovery(index: HistoryIndex): Verdict {
  const claims = index.catchups.filter((c) => c.recovered === true);
  // Recoveries the system said were incomplete: nothing to hold it to, but they show a window was crossed.
  const owned = index.catchups.filter((c) => c.recovered === false).length;
  const admitted = owned === 0 ? '' : `; ${countPhrase(owned, 'recovery', 'recoveries')} reported incomplete (recovered: false)`;
  if (claims.length === 0) return { valid: true, summary: `no recovery was claimed complete: nothing to check${admitted}` };
  const witnesses: Witness[] = [];
  let checked = 0;
  for (const claim of claims) {
    const opened = last(index.connections, (c) => c.process === claim.process && c.state === 'open' && c.time <= claim.time);
    const closed = opened && last(index.connections, (c) => c.process === claim.process && c.state === 'closed' && c.time <= opened.time);
    if (!opened || !closed) continue;
    checked++;
    const missed = index.acknowledged.filter(
      (m) => m.roomId === claim.roomId && !m.ops.some((op) => op.process === claim.process) && ackedWithin(m, closed.time, opened.time),
    );
    for (const message of missed) {
      if (receivedBy(index, claim.process, message, claim.time)) continue;
      witnesses.push({
        kind: 'unrecovered-claimed',
        description:
          `${claim.process} was told its recovery of ${claim.roomId} at ${claim.time} ms was complete (recovered: true), ` +
          `yet it lacks "${message.clientMsgId}" from ${message.senderId}, acknowledged while it was away (${closed.time}–${opened.time} ms).`,
        roomId: message.roomId,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        clientMsgId: message.clientMsgId,
        processes: [claim.process],
        ops: message.ops.map((op) => op.op),
      });
    }
  }
  const summary = `${countPhrase(claims.length, 'recovery', 'recoveries')} claimed complete (${checked} after a disconnect): ` +
    (witnesses.length === 0 ? 'none missed a message' : `${countPhrase(witnesses.length, 'message')} missing`) + admitted;
  return verdictFrom(summary, witnesses);
}

function ackedWithin(message: AcknowledgedMessage, from: number, to: number): boolean {
  const acked = message.ops.find((op) => op.complete)?.complete?.time;
  return acked !== undefined && acked > from && acked < to;
}

function receivedBy(index: HistoryIndex, process: string, message: AcknowledgedMessage, until: number): boolean {
  return index.receipts.some(
    (r) =>
      r.process === process &&
      r.time <= until &&
      (r.message.id === message.messageId ||
        (r.message.roomId === message.roomId && r.message.senderId === message.senderId && r.message.clientMsgId === message.clientMsgId)),
  );
}

function last<T>(items: readonly T[], match: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (match(items[i]!)) return items[i];
  return undefined;
}
