import { describe, expect, it } from 'vitest';
import type { Message } from '../../chat/message.js';
import { Nemesis } from '../../faults/nemesis.js';
import { HISTORY_FORMAT_VERSION } from '../../history/event.js';
import { HistoryRecorder } from '../../history/history-recorder.js';
import { scenarioSchema } from '../scenario/scenario-schema.js';
import type { Target, TargetClient } from '../sut/target.js';
import { LiveRunWorld } from './live-run-world.js';

const scenario = scenarioSchema.parse({
  name: 'finish-test',
  description: 'the end of a run',
  topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
  workload: { ops: 2, mix: { send: 1, edit: 0, delete: 0, fault: 0 } },
  faults: [],
  runs: 1,
});

/** A target and clients that only log what the end of a run asks of them, in order. */
function world(options: { snapshotFails?: boolean } = {}) {
  const calls: string[] = [];
  const recorder = new HistoryRecorder(
    {
      type: 'meta',
      formatVersion: HISTORY_FORMAT_VERSION,
      scenario: scenario.name,
      pattern: 'fake',
      seed: 1,
      startedAt: new Date(0).toISOString(),
      database: { kind: 'none', version: 'n/a', writeConcern: 'n/a' },
      topology: { rooms: [{ id: 'general-r0', members: ['alice', 'bob'] }], clients: [] },
    },
    () => calls.length,
  );
  const client = (id: string): TargetClient => ({
    connected: true,
    connect: async () => undefined,
    disconnect: async () => undefined,
    waitFor: async () => undefined,
    send: async () => ({ status: 'ok', clientMsgId: 'k' }),
    edit: async () => ({ status: 'ok' }),
    delete: async () => ({ status: 'ok' }),
    finalSync: async () => calls.push(`finalSync ${id}`),
    close: async () => {
      calls.push(`close ${id}`);
    },
  });
  const target = {
    whenUp: async () => undefined,
    quiesce: async () => {
      calls.push('quiesce');
    },
    snapshot: async (rooms: readonly string[]): Promise<Message[]> => {
      calls.push(`snapshot ${rooms.join(',')}`);
      if (options.snapshotFails) throw new Error('the database is gone');
      return [];
    },
    retireRooms: async (rooms: readonly string[]) => {
      calls.push(`retire ${rooms.join(',')}`);
      // What a target records meanwhile is not part of the run's history any more.
      recorder.record({ type: 'connection', process: 'late', state: 'open' });
    },
  } as unknown as Target;
  const setup = {
    runIndex: 0,
    scenario,
    recorder,
    roomIds: new Map([['general', 'general-r0']]),
    clients: ['alice', 'bob'].map((id) => ({ id, rooms: ['general-r0'], client: client(id) })),
    target,
    capabilities: { edit: true, delete: true, crash: false, faultPoints: [], dbKill: false, links: { client: false, frames: false, database: false, broker: false }, notPromised: {} },
    nemesis: new Nemesis({}, () => 0),
  };
  return { calls, setup };
}

describe('LiveRunWorld.finish', () => {
  it('retires the run’s rooms once the snapshot is recorded and every client is closed', async () => {
    const { calls, setup } = world();
    const run = await LiveRunWorld.begin(setup);
    const history = await run.finish();

    expect(calls).toEqual(['quiesce', 'finalSync alice', 'finalSync bob', 'snapshot general-r0', 'close alice', 'close bob', 'retire general-r0']);
    // The history ends with the snapshot: nothing recorded after it is the run's.
    expect(history.at(-1)?.type).toBe('db-snapshot');
  });

  it('keeps the rooms of a run whose snapshot could not be read', async () => {
    const { calls, setup } = world({ snapshotFails: true });
    const run = await LiveRunWorld.begin(setup);
    await expect(run.finish()).rejects.toThrow('the database is gone');

    expect(calls).toContain('close bob');
    expect(calls.some((c) => c.startsWith('retire'))).toBe(false);
  });
});
