import type { Message, RoomCursor as WireRoomCursor } from '../chat/message.js';
import type { RoomCursor } from './room-cursor.js';

/** Why a catch-up with reason `gap` is due. */
export interface Gap {
  roomId: string;
  cause: 'seq' | 'version';
  /** A human sentence, e.g. "seq 4 missing (room at seq 6)". */
  detail: string;
}

export interface GapDetectorOptions {
  /** Off: never report a gap (the client then recovers only on reconnect and at the final sync). Default on. */
  enabled?: boolean;
}

interface RoomSeqs {
  /** Every seq in `1..contiguous` was seen. */
  contiguous: number;
  /** Seen seqs above `contiguous`. */
  above: Set<number>;
  /** The highest seq known to exist (seen, or reported by `subscribed` / a heartbeat). */
  known: number;
  /** Missing seqs and versions at or below these were already looked for by a catch-up pass. */
  checkedSeq: number;
  checkedVersion: number;
}

/**
 * Notices, from live traffic, that the client is missing something, so the client can fill it from the changes API
 * at once instead of waiting for its next reconnect (DESIGN.md §5, issue 5).
 *
 * Evidence: a broadcast whose `seq` or `version` is beyond an unseen one, and `subscribed` / heartbeat frames that
 * carry each room's `latestSeq` and `latestVersion`. Seqs are creation order, one per message, never reused, so an
 * unseen seq up to `latestSeq` is a message the client does not have; versions are tracked by the room's
 * RoomCursor (the client updates it before asking here).
 *
 * A gap is reported only for evidence newer than the last catch-up pass's check (`beginCheck`): a seq or version
 * still missing after a pass read everything up to the room's latest is late or was never committed, and asking
 * again on every heartbeat would only spin. Those are left to the next reconnect or final catch-up, which always
 * read from the safe cursor. The detector never triggers anything itself; the caller acts on the returned Gap.
 */
export class GapDetector {
  readonly #cursorOf: (roomId: string) => RoomCursor;
  readonly #enabled: boolean;
  readonly #rooms = new Map<string, RoomSeqs>();

  constructor(cursorOf: (roomId: string) => RoomCursor, options: GapDetectorOptions = {}) {
    this.#cursorOf = cursorOf;
    this.#enabled = options.enabled ?? true;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** A message state seen through any channel (broadcast, catch-up page, own acknowledged write). */
  see(message: Message): void {
    const room = this.#room(message.roomId);
    if (message.seq > room.known) room.known = message.seq;
    if (message.seq <= room.contiguous) return;
    room.above.add(message.seq);
    while (room.above.delete(room.contiguous + 1)) room.contiguous += 1;
  }

  /** A live broadcast (already applied to the view and the cursor): a gap if it reveals an unseen seq or version. */
  onBroadcast(message: Message): Gap | null {
    this.see(message);
    return this.#check(message.roomId);
  }

  /** A room's latest seq/version from `subscribed` or a heartbeat (the cursor already told of `latestVersion`). */
  onRoomCursor(cursor: WireRoomCursor): Gap | null {
    const room = this.#room(cursor.roomId);
    if (cursor.latestSeq > room.known) room.known = cursor.latestSeq;
    return this.#check(cursor.roomId);
  }

  /**
   * A catch-up pass starts: what is known now will have been looked for once it ends. Returns the marks to pass
   * back to `endCheck`.
   */
  beginCheck(roomId: string): { seq: number; version: number } {
    const room = this.#room(roomId);
    return { seq: room.known, version: this.#cursorOf(roomId).highest };
  }

  /** The pass read every page (`ok`), up to `latestVersion`: stop reporting what it could not find. */
  endCheck(roomId: string, marks: { seq: number; version: number }, latestVersion: number): void {
    const room = this.#room(roomId);
    room.checkedSeq = Math.max(room.checkedSeq, marks.seq);
    room.checkedVersion = Math.max(room.checkedVersion, marks.version, latestVersion);
  }

  /** Seqs in `1..known` never seen (at most `limit`). */
  missingSeqs(roomId: string, limit = 100): number[] {
    const room = this.#room(roomId);
    const found: number[] = [];
    for (let s = room.contiguous + 1; s <= room.known && found.length < limit; s += 1) {
      if (!room.above.has(s)) found.push(s);
    }
    return found;
  }

  #check(roomId: string): Gap | null {
    if (!this.#enabled) return null;
    const room = this.#room(roomId);
    const from = Math.max(room.contiguous, room.checkedSeq);
    if (from < room.known) {
      let seen = 0;
      for (const s of room.above) if (s > from && s <= room.known) seen += 1;
      if (seen < room.known - from) {
        let first = from + 1;
        while (room.above.has(first)) first += 1;
        return { roomId, cause: 'seq', detail: `seq ${first} missing (room at seq ${room.known})` };
      }
    }
    const cursor = this.#cursorOf(roomId);
    if (cursor.hasHoleAbove(room.checkedVersion)) {
      return { roomId, cause: 'version', detail: `versions missing above ${cursor.safe} (room at version ${cursor.highest})` };
    }
    return null;
  }

  #room(roomId: string): RoomSeqs {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = { contiguous: 0, above: new Set(), known: 0, checkedSeq: 0, checkedVersion: 0 };
      this.#rooms.set(roomId, room);
    }
    return room;
  }
}
