import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Message } from '../chat/message.js';
import type { HistoryEvent } from '../history/event.js';
import type { RunResult } from '../harness/result/result-model.js';

/** A client id long enough that no timeline column can show it whole at 1,024 px: it must clip, not push. */
export const LONG_CLIENT = 'carol-from-the-night-shift-support-desk';

export interface RunHistoryFixtureOptions {
  scenario: string;
  target: string;
  seed: number;
  /** The send during the fault is reported failed (coupled's lie) rather than acknowledged. */
  failDuringFault?: boolean;
  /** carol's last send gets no reply before the run ends. */
  unanswered?: boolean;
  /** Multiplies every acknowledgment's latency (a slower target). */
  slower?: number;
}

/**
 * Tests only: run 1 of a scenario as a target might have recorded it, valid for readHistory. Three clients (one
 * with a long id), a ws.reset window on bob from 100 to 240 ms with sends during it, a burst of five concurrent
 * sends by alice at 300 ms (more than a column draws side by side), broadcasts, catch-ups, final views and the
 * database read at 520 ms.
 */
export function runHistoryFixture(options: RunHistoryFixtureOptions): HistoryEvent[] {
  const slower = options.slower ?? 1;
  const clients = ['alice', 'bob', LONG_CLIENT];
  const events: HistoryEvent[] = [];
  const stored: Message[] = [];
  let op = 0;
  const send = (process: string, at: number, latency: number, outcome: 'ok' | 'fail' | 'open' = 'ok') => {
    const id = op++;
    const clientMsgId = `${process.slice(0, 5)}-${id}`;
    const text = `message ${id} from ${process.slice(0, 5)}`;
    events.push({ type: 'invoke', time: at, process, op: id, kind: 'send', roomId: 'general', clientMsgId, text });
    if (outcome === 'open') return;
    const done = at + latency * slower;
    if (outcome === 'fail') {
      events.push({
        type: 'complete',
        time: done,
        process,
        op: id,
        status: 'fail',
        httpStatus: 500,
        error: { code: 'BROADCAST_FAILED', message: 'broadcast failed: injected fault broadcast.throw', outcome: 'not_applied' },
      });
      return;
    }
    const message: Message = {
      id: `6743a1f0c2d4e5f6010001${String(id).padStart(2, '0')}`,
      roomId: 'general',
      senderId: process,
      clientMsgId,
      text,
      seq: stored.length + 1,
      version: stored.length + 1,
      createdAt: '2026-11-24T17:00:10.000Z',
      editedAt: null,
      deletedAt: null,
    };
    stored.push(message);
    for (const member of clients) {
      if (member !== process && !(member === 'bob' && done > 100 && done < 250)) {
        events.push({ type: 'broadcast', time: done - 1, process: member, event: 'message.created', message });
      }
    }
    events.push({ type: 'complete', time: done, process, op: id, status: 'ok', httpStatus: 201, message });
  };

  clients.forEach((client, i) => events.push({ type: 'connection', time: 2 + i, process: client, state: 'open' }));
  send('alice', 10, 12);
  send(LONG_CLIENT, 40, 18);
  events.push({ type: 'fault', time: 100, fault: 'ws.reset', phase: 'start', target: 'bob' });
  events.push({ type: 'connection', time: 101, process: 'bob', state: 'closed', code: 1006, reason: 'connection reset' });
  send('bob', 120, 20);
  send('alice', 150, 15, options.failDuringFault ? 'fail' : 'ok');
  events.push({ type: 'fault', time: 240, fault: 'ws.reset', phase: 'heal', target: 'bob' });
  events.push({ type: 'connection', time: 250, process: 'bob', state: 'open' });
  events.push({ type: 'catchup', time: 255, process: 'bob', roomId: 'general', after: 1, reason: 'reconnect', changes: [...stored], latestVersion: stored.length, hasMore: false });
  for (let i = 0; i < 5; i++) send('alice', 300 + i, 30 + 5 * i);
  send(LONG_CLIENT, 420, 25, options.unanswered ? 'open' : 'ok');
  const end = 500 * slower;
  for (const client of clients) {
    events.push({ type: 'catchup', time: end, process: client, roomId: 'general', after: stored.length, reason: 'final', changes: [], latestVersion: stored.length, hasMore: false });
  }
  for (const client of clients) events.push({ type: 'client-view', time: end + 10, process: client, rooms: [{ roomId: 'general', messages: [...stored] }] });
  events.push({ type: 'db-snapshot', time: end + 20, messages: [...stored] });
  const meta: HistoryEvent = {
    type: 'meta',
    formatVersion: 1,
    scenario: options.scenario,
    pattern: options.target.replace(/^reference:/, ''),
    target: options.target,
    seed: options.seed,
    path: '0',
    startedAt: '2026-11-24T17:00:10.000Z',
    database: { kind: 'ferretdb', version: '7.0.77 (FerretDB v1.24.2, SQLite)', writeConcern: 'majority, journaled' },
    topology: { rooms: [{ id: 'general', members: clients }], clients: clients.map((id) => ({ id, userId: id })) },
  };
  // Stable: a broadcast stamped in the same millisecond as its send's completion stays before it.
  return [meta, ...events.map((e, i) => ({ e, i })).sort((a, b) => ('time' in a.e ? a.e.time : 0) - ('time' in b.e ? b.e.time : 0) || a.i - b.i).map(({ e }) => e)];
}

/**
 * Writes run 1 of every case of runResultFixture() where its `runHistoryFiles` says: the failing coupled case
 * lies during the fault, the undecided one leaves a send unanswered, decoupled is slower.
 */
export async function writeRunHistoryFixtures(reportDir: string, result: RunResult): Promise<void> {
  for (const c of result.cases) {
    const file = c.runHistoryFiles?.[0];
    if (file === undefined) continue;
    const history = runHistoryFixture({
      scenario: c.scenario,
      target: c.target,
      // One seed per scenario, the same for each target, as the runner derives them.
      seed: 424242 + result.cases.findIndex((other) => other.scenario === c.scenario),
      failDuringFault: c.target.endsWith('coupled') && c.valid === false,
      unanswered: c.valid === 'unknown',
      slower: c.target.endsWith('decoupled') ? 1.5 : 1,
    });
    await mkdir(dirname(join(reportDir, file)), { recursive: true });
    await writeFile(join(reportDir, file), history.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
}
