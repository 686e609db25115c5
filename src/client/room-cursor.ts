/**
 * The catch-up cursor of one room: the highest `version` up to which the client provably holds every change.
 *
 * Why this is subtle (DESIGN.md §5): `version` is the room's change counter, bumped by every create, edit and
 * delete, and the changes API returns the *current* state of each message with `version > after`. A version number
 * can therefore be absent from a page for two reasons that look the same from outside:
 *   - superseded: the same message changed again later, so its older version no longer exists anywhere; or
 *   - late: the write that holds it has not committed yet (two concurrent writers; the one with the smaller
 *     version commits second), or never will (the counter was bumped, then the write failed).
 * If a cursor jumps to the page's highest version while a late write is still in flight, the write commits below
 * the cursor and no later read `after` the cursor will ever return it: the message is lost to this client.
 *
 * The rule (a low watermark over observed versions):
 *   - `observe(v)` whenever the client learns a message state carrying version `v`: from a broadcast, a catch-up
 *     page, or its own acknowledged write. Once applied to the local view, change `v` is reflected there (or
 *     superseded by a newer state the view already holds).
 *   - `safe` is the largest `c` such that every version in `1..c` was observed. It advances only over versions
 *     actually seen, never over a missing one, so it never skips a late commit. A later read `after = safe`
 *     returns every message whose current version is above it, which includes any late write.
 *   - `highest` is the largest version known to exist (observed, or reported as `latestVersion` by a page,
 *     `subscribed` or a heartbeat); `holes()` are the versions in `(safe, highest]` never observed.
 *   - Pagination within one catch-up pass moves a separate read position past each page; it never moves `safe`.
 *
 * The price: a version superseded before this client ever saw it (the message was edited while the client was
 * away) stays a hole forever, so `safe` stops there and later catch-ups re-read from that point. That costs
 * re-read work (recorded in every CatchupEvent's `after`), never a lost message. The client bounds the re-reads of
 * one catch-up and lets the next one try again; it never resolves a hole by guessing.
 */
export class RoomCursor {
  readonly roomId: string;
  #safe: number;
  #highest: number;
  /** Observed versions above `safe`; versions at or below `safe` are forgotten (the watermark covers them). */
  readonly #observed = new Set<number>();

  constructor(roomId: string, safe = 0) {
    if (!Number.isInteger(safe) || safe < 0) throw new RangeError(`cursor of room "${roomId}" must be a non-negative integer, got ${safe}`);
    this.roomId = roomId;
    this.#safe = safe;
    this.#highest = safe;
  }

  /** Every version up to this one is reflected in the client's view: the next catch-up reads `after` it. */
  get safe(): number {
    return this.#safe;
  }

  /** The largest version known to exist in the room. */
  get highest(): number {
    return this.#highest;
  }

  /** True when no version known to exist is missing: `safe` has reached `highest`. */
  get complete(): boolean {
    return this.#safe >= this.#highest;
  }

  /** A message state with this version was seen and applied to the view. */
  observe(version: number): void {
    if (!Number.isInteger(version) || version <= this.#safe) return;
    this.#observed.add(version);
    if (version > this.#highest) this.#highest = version;
    while (this.#observed.delete(this.#safe + 1)) this.#safe += 1;
  }

  /** The server says the room's counter is at least this (a page's `latestVersion`, `subscribed`, a heartbeat). */
  reportLatest(latestVersion: number): void {
    if (Number.isInteger(latestVersion) && latestVersion > this.#highest) this.#highest = latestVersion;
  }

  /** Versions in `(safe, highest]` not observed, ascending, at most `limit` of them (a bogus huge `latestVersion` stays cheap). */
  holes(limit = 1000): number[] {
    const found: number[] = [];
    for (let v = this.#safe + 1; v <= this.#highest && found.length < limit; v += 1) {
      if (!this.#observed.has(v)) found.push(v);
    }
    return found;
  }

  /** True when some version in `(above, highest]` was never observed. Counts instead of scanning the range. */
  hasHoleAbove(above: number): boolean {
    const from = Math.max(above, this.#safe);
    if (from >= this.#highest) return false;
    let seen = 0;
    for (const v of this.#observed) if (v > from && v <= this.#highest) seen += 1;
    return seen < this.#highest - from;
  }
}

/** A client's cursors, one per room, each made on first use. */
export class RoomCursors {
  readonly #byRoom = new Map<string, RoomCursor>();

  of(roomId: string): RoomCursor {
    let cursor = this.#byRoom.get(roomId);
    if (!cursor) {
      cursor = new RoomCursor(roomId);
      this.#byRoom.set(roomId, cursor);
    }
    return cursor;
  }
}
