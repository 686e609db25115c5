/** A room's seq and version: the last ones used, or the next ones to try. */
export interface RoomNumbers {
  seq: number;
  version: number;
}

/**
 * Where each room's log goes on: the seq and version this process will try for its next write there. Only a hint:
 * the unique indexes refuse a number another writer took, and the store then forgets the room's hint and reads
 * the log's latest numbers again. A hint is only ever "the last number this process inserted, plus one" or "the
 * log's latest, plus one", so a write at version v is only tried once v - 1 is committed: versions commit in order
 * and without holes, whatever the number of writer processes (a reader after v - 1 can never miss v).
 */
export class RoomPositions {
  readonly #next = new Map<string, RoomNumbers>();

  constructor(private readonly readLatest: (roomId: string) => Promise<RoomNumbers>) {}

  async next(roomId: string): Promise<RoomNumbers> {
    let next = this.#next.get(roomId);
    if (!next) {
      const latest = await this.readLatest(roomId);
      next = { seq: latest.seq + 1, version: latest.version + 1 };
      this.#next.set(roomId, next);
    }
    return { ...next };
  }

  /** A change was inserted at `version` (and, for a send, at `seq`). */
  used(roomId: string, version: number, seq?: number): void {
    const next = this.#next.get(roomId);
    if (!next) return;
    next.version = Math.max(next.version, version + 1);
    if (seq !== undefined) next.seq = Math.max(next.seq, seq + 1);
  }

  /** Another writer took the numbers: the next write reads the log's latest again. */
  forget(roomId: string): void {
    this.#next.delete(roomId);
  }
}
