import type { Collection } from 'mongodb';
import { isDuplicateKey } from './duplicate-key.js';

/** Per-room counters: the last seq and version reserved by any writer process. */
export interface CounterDocument {
  _id: string;
  seq?: number;
  version: number;
}

/** The seq and version a write would take; seq is 0 for a write that takes none (an edit). */
export interface RoomNumbers {
  seq: number;
  version: number;
}

/** Numbers reserved by this process and not yet handed out: `next..end`. */
interface Block {
  next: number;
  end: number;
}

const MAX_BLOCK = 64;
const RELEASE_TIMEOUT_MS = 1_000;

/**
 * seq and version for one process's writes, from blocks reserved in the room's `counters` document with one atomic
 * `$inc`. A block is never shared, so no number is ever handed out twice, even by several writer processes (their
 * writes interleave, which readers already survive as late commits: DESIGN.md §5). Reserving a block per write
 * would cost a second database write per send; a block sized to the room's demand (the writes queued on it, twice
 * over, at most 64) costs one per block. Unused numbers go back at `release` when nobody reserved after them; a
 * crash leaves them as a gap, like any write that failed after its allocation.
 *
 * Callers hold the room's lock: `peek` and `take` for one room never interleave within this process.
 */
export class RoomCounters {
  private readonly rooms = new Map<string, { seq?: Block; version?: Block }>();

  constructor(private readonly counters: Collection<CounterDocument>) {}

  /** The numbers the room's next write would take (reserving a block when this process has none left). */
  async peek(roomId: string, withSeq: boolean, demand: number): Promise<RoomNumbers> {
    const room = this.rooms.get(roomId) ?? {};
    this.rooms.set(roomId, room);
    const needSeq = withSeq && !available(room.seq);
    const needVersion = !available(room.version);
    if (needSeq || needVersion) {
      const size = Math.min(MAX_BLOCK, Math.max(1, 2 * demand));
      const inc = { ...(needSeq ? { seq: size } : {}), ...(needVersion ? { version: size } : {}) };
      const counter = await this.reserve(roomId, inc);
      if (needSeq) room.seq = { next: (counter.seq ?? 0) - size + 1, end: counter.seq ?? 0 };
      if (needVersion) room.version = { next: counter.version - size + 1, end: counter.version };
    }
    return { seq: withSeq ? room.seq!.next : 0, version: room.version!.next };
  }

  /** The peeked numbers were used (or may have been: an unknown outcome): never hand them out again. */
  take(roomId: string, numbers: RoomNumbers): void {
    const room = this.rooms.get(roomId);
    if (room?.seq && numbers.seq >= room.seq.next) room.seq.next = numbers.seq + 1;
    if (room?.version && numbers.version >= room.version.next) room.version.next = numbers.version + 1;
  }

  /** Drops this process's blocks of a room (after a collision: the counters no longer describe the messages). */
  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  /** Gives unused numbers back where this process's block is still the room's last reservation. Best effort. */
  async release(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    this.rooms.delete(roomId);
    for (const field of ['seq', 'version'] as const) {
      const block = room?.[field];
      if (!block || !available(block)) continue;
      // Bounded: a shutdown while the database is unreachable must not wait out the socket timeout for a nicety.
      await this.counters
        .updateOne({ _id: roomId, [field]: block.end }, { $set: { [field]: block.next - 1 } }, { timeoutMS: RELEASE_TIMEOUT_MS })
        .catch(() => undefined);
    }
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  private async reserve(roomId: string, inc: Partial<Record<'seq' | 'version', number>>): Promise<CounterDocument> {
    for (let attempt = 0; ; attempt++) {
      try {
        const counter = await this.counters.findOneAndUpdate({ _id: roomId }, { $inc: inc }, { upsert: true, returnDocument: 'after' });
        if (!counter) throw new Error(`no counter document for room "${roomId}"`);
        return counter;
      } catch (error) {
        // Two first writes in a room race to create its counter: the loser retries and increments.
        if (attempt === 0 && isDuplicateKey(error)) continue;
        throw error;
      }
    }
  }
}

function available(block: Block | undefined): boolean {
  return block !== undefined && block.next <= block.end;
}
