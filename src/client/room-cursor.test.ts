import { describe, expect, it } from 'vitest';
import { RoomCursor } from './room-cursor.js';

describe('RoomCursor', () => {
  it('advances over contiguous observed versions, in any order', () => {
    const cursor = new RoomCursor('general');
    cursor.observe(2);
    expect(cursor.safe).toBe(0);
    cursor.observe(1);
    expect(cursor.safe).toBe(2);
    cursor.observe(3);
    expect(cursor.safe).toBe(3);
    expect(cursor.complete).toBe(true);
  });

  it('never advances over a version it has not seen, whatever the server reports as latest', () => {
    const cursor = new RoomCursor('general');
    cursor.observe(1);
    cursor.observe(3);
    cursor.reportLatest(5);
    expect(cursor.safe).toBe(1);
    expect(cursor.highest).toBe(5);
    expect(cursor.holes()).toEqual([2, 4, 5]);
    expect(cursor.complete).toBe(false);
  });

  it('recovers a late-committed write instead of skipping it (DESIGN §5)', () => {
    // Two concurrent senders: A gets version 1, B gets version 2; B commits first. A reader pages in between.
    const server = new Map<number, string>();
    const changesAfter = (after: number) => ({
      changes: [...server.entries()].filter(([v]) => v > after).sort(([a], [b]) => a - b),
      latestVersion: 2, // the room counter already counts A's allocated version
    });
    const cursor = new RoomCursor('general');
    const seen = new Set<string>();

    server.set(2, 'B');
    const first = changesAfter(cursor.safe);
    for (const [version, id] of first.changes) {
      seen.add(id);
      cursor.observe(version);
    }
    cursor.reportLatest(first.latestVersion);
    expect(seen).toEqual(new Set(['B']));
    expect(cursor.safe).toBe(0); // a naive cursor would be at 2 now, and A would be lost

    server.set(1, 'A'); // A commits late
    const second = changesAfter(cursor.safe);
    for (const [version, id] of second.changes) {
      seen.add(id);
      cursor.observe(version);
    }
    expect(seen).toEqual(new Set(['A', 'B']));
    expect(cursor.safe).toBe(2);
    expect(cursor.complete).toBe(true);
  });

  it('stays below a version superseded before it was seen (re-read work, never a skip)', () => {
    // Message m1 created at v1 and edited at v3 while the client was away; m2 created at v2.
    const cursor = new RoomCursor('general');
    cursor.observe(2);
    cursor.observe(3);
    cursor.reportLatest(3);
    expect(cursor.safe).toBe(0);
    expect(cursor.holes()).toEqual([1]);
    expect(cursor.hasHoleAbove(0)).toBe(true);
    expect(cursor.hasHoleAbove(1)).toBe(false);
  });

  it('starts from a given cursor, ignores versions at or below it, and rejects nonsense', () => {
    const cursor = new RoomCursor('general', 10);
    cursor.observe(7);
    expect(cursor.holes()).toEqual([]);
    cursor.observe(11);
    expect(cursor.safe).toBe(11);
    expect(() => new RoomCursor('general', -1)).toThrow(/non-negative integer/);
  });

  it('stays cheap when a server reports an absurd latest version', () => {
    const cursor = new RoomCursor('general');
    cursor.reportLatest(1e12);
    expect(cursor.holes(3)).toEqual([1, 2, 3]);
    expect(cursor.hasHoleAbove(0)).toBe(true);
  });
});
