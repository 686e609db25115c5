import { describe, expect, it } from 'vitest';
import type { Message } from '../chat/message.js';
import { GapDetector } from './gap-detector.js';
import { messageFixture as msg } from './message-fixture.js';
import { RoomCursor } from './room-cursor.js';

/** The client's order of work for a broadcast: view/cursor first, then the detector. */
function setup(enabled = true) {
  const cursor = new RoomCursor('general');
  const detector = new GapDetector(() => cursor, { enabled });
  const broadcast = (m: Message) => {
    cursor.observe(m.version);
    return detector.onBroadcast(m);
  };
  const heartbeat = (latestSeq: number, latestVersion: number) => {
    cursor.reportLatest(latestVersion);
    return detector.onRoomCursor({ roomId: 'general', latestSeq, latestVersion });
  };
  return { cursor, detector, broadcast, heartbeat };
}

describe('GapDetector', () => {
  it('reports nothing while broadcasts arrive in order', () => {
    const { broadcast, heartbeat } = setup();
    expect(broadcast(msg({ id: 'a', seq: 1, version: 1 }))).toBeNull();
    expect(broadcast(msg({ id: 'b', seq: 2, version: 2 }))).toBeNull();
    expect(broadcast(msg({ id: 'a', seq: 1, version: 3 }))).toBeNull();
    expect(heartbeat(2, 3)).toBeNull();
  });

  it('reports a seq gap revealed by a broadcast', () => {
    const { broadcast } = setup();
    broadcast(msg({ id: 'a', seq: 1, version: 1 }));
    const gap = broadcast(msg({ id: 'c', seq: 3, version: 3 }));
    expect(gap).toMatchObject({ roomId: 'general', cause: 'seq' });
    expect(gap?.detail).toContain('seq 2 missing');
  });

  it('reports a lost edit from a heartbeat (version beyond anything seen)', () => {
    const { broadcast, heartbeat } = setup();
    broadcast(msg({ id: 'a', seq: 1, version: 1 }));
    expect(heartbeat(1, 2)).toMatchObject({ cause: 'version' });
  });

  it('reports a lost create from a heartbeat (seq beyond anything seen)', () => {
    const { heartbeat } = setup();
    expect(heartbeat(1, 1)).toMatchObject({ cause: 'seq' });
  });

  it('stops reporting what a completed catch-up pass could not find, until new evidence comes', () => {
    const { detector, broadcast, heartbeat } = setup();
    broadcast(msg({ id: 'a', seq: 1, version: 1 }));
    expect(heartbeat(2, 2)).not.toBeNull();
    // The pass reads everything up to version 2 and finds nothing: seq 2 / version 2 are late or were never written.
    const marks = detector.beginCheck('general');
    detector.endCheck('general', marks, 2);
    expect(heartbeat(2, 2)).toBeNull();
    expect(heartbeat(3, 3)).not.toBeNull();
  });

  it('a failed pass (no endCheck) keeps the gap reported', () => {
    const { detector, heartbeat } = setup();
    expect(heartbeat(1, 1)).not.toBeNull();
    detector.beginCheck('general');
    expect(heartbeat(1, 1)).not.toBeNull();
  });

  it('filling the gap clears it', () => {
    const { detector, broadcast, heartbeat } = setup();
    broadcast(msg({ id: 'b', seq: 2, version: 2 }));
    expect(detector.missingSeqs('general')).toEqual([1]);
    broadcast(msg({ id: 'a', seq: 1, version: 1 }));
    expect(detector.missingSeqs('general')).toEqual([]);
    expect(heartbeat(2, 2)).toBeNull();
  });

  it('can be switched off', () => {
    const { broadcast, heartbeat } = setup(false);
    expect(broadcast(msg({ id: 'c', seq: 3, version: 3 }))).toBeNull();
    expect(heartbeat(9, 9)).toBeNull();
  });
});
