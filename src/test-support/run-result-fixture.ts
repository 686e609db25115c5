import type { Message } from '../chat/message.js';
import type { CheckResult } from '../harness/checker/check-result.js';
import type { Measures } from '../harness/checker/measures.js';
import type { InvariantId, Verdict } from '../harness/checker/verdict.js';
import type { HistoryEvent } from '../history/event.js';
import type { RunResult } from '../harness/result/result-model.js';

/**
 * A hand-made compare result for the renderers' tests: two scenarios x coupled/decoupled. broadcast-throws/coupled
 * breaks I4 (§0's coupled send: saved, then reported failed) with a shrunk history of about twenty events;
 * baseline/decoupled could not be checked (unknown). One message text carries markup, quotes and a pipe, so every
 * renderer's escaping is exercised.
 */
export function runResultFixture(): RunResult {
  return {
    formatVersion: 2,
    tool: { name: 'ackproof', version: '0.1.0' },
    command: 'compare',
    startedAt: '2026-11-24T17:00:00.000Z',
    finishedAt: '2026-11-24T17:01:32.500Z',
    database: { kind: 'ferretdb', version: '7.0.77 (FerretDB v1.24.2, SQLite)', writeConcern: 'majority, journaled' },
    seed: 424242,
    runsPerCase: 25,
    targets: ['reference:coupled', 'reference:decoupled'],
    cases: [
      {
        id: 'broadcast-throws/reference:coupled',
        scenario: 'broadcast-throws',
        description: 'The WebSocket broadcaster throws while messages are sent (the design note\'s failure).',
        target: 'reference:coupled',
        valid: false,
        expected: 'fail',
        runs: 3,
        check: {
          valid: false,
          invariants: {
            ...allHold(2, 2),
            I4: {
              valid: false,
              summary: '1 of 1 failed sends is stored',
              witnesses: [
                {
                  kind: 'lie',
                  description:
                    'alice was told send "alice-2" failed (BROADCAST_FAILED, not_applied), yet general stores it as seq 2.',
                  roomId: 'general',
                  messageId: ID.m2,
                  clientMsgId: 'alice-2',
                  processes: ['alice'],
                  ops: [2],
                },
              ],
            },
          },
          measures: measures({ acknowledged: 2, sendOk: 2, sendFail: 1, p50: 14, p99: 16, live: 4 / 6, broadcast: 4, gapFill: 2 }),
        },
        counterexample: {
          seed: 424244,
          path: '2:1:0:0',
          commands: [
            'alice sends "hello bob" to general',
            'start broadcast.throw on server {"count":1}',
            'alice sends "<b>bold</b> & \\"quoted\\" | piped" to general',
            'heal broadcast.throw',
            'bob sends "hi alice" to general',
            'start ws.reset on bob',
            'heal ws.reset on bob',
          ],
          violated: ['I4'],
          historyFile: 'histories/broadcast-throws--coupled.jsonl',
          history: brokenHistory(),
        },
        historyFile: 'histories/broadcast-throws--coupled.jsonl',
        runHistoryFiles: runFiles('broadcast-throws', 'reference-coupled', 3),
        durationMs: 8_412,
      },
      {
        id: 'broadcast-throws/reference:decoupled',
        scenario: 'broadcast-throws',
        description: 'The WebSocket broadcaster throws while messages are sent (the design note\'s failure).',
        target: 'reference:decoupled',
        valid: true,
        expected: 'pass',
        runs: 25,
        check: {
          valid: true,
          invariants: allHold(1_284, 1_284),
          measures: measures({ acknowledged: 1_284, sendOk: 1_284, sendFail: 0, p50: 9.4, p99: 31.2, live: 0.871, broadcast: 2_236, gapFill: 332 }),
        },
        historyFile: 'histories/broadcast-throws--decoupled.jsonl',
        runHistoryFiles: runFiles('broadcast-throws', 'reference-decoupled', 25),
        durationMs: 21_950,
      },
      {
        id: 'baseline/reference:coupled',
        scenario: 'baseline',
        description: 'Chat without faults: every target must keep every promise.',
        target: 'reference:coupled',
        valid: true,
        expected: 'pass',
        runs: 25,
        check: {
          valid: true,
          invariants: allHold(950, 950),
          measures: measures({ acknowledged: 950, sendOk: 950, sendFail: 0, p50: 12, p99: 48.5, live: 1, broadcast: 1_900, gapFill: 0 }),
        },
        historyFile: 'histories/baseline--coupled.jsonl',
        runHistoryFiles: runFiles('baseline', 'reference-coupled', 25),
        durationMs: 18_004,
      },
      {
        id: 'baseline/reference:decoupled',
        scenario: 'baseline',
        description: 'Chat without faults: every target must keep every promise.',
        target: 'reference:decoupled',
        valid: 'unknown',
        expected: 'pass',
        runs: 25,
        check: unknownCheck('the final database read failed: connect ECONNREFUSED 127.0.0.1:27018'),
        historyFile: 'histories/baseline--decoupled.jsonl',
        runHistoryFiles: runFiles('baseline', 'reference-decoupled', 25),
        durationMs: 44_120,
      },
    ],
    expectations: [
      { target: 'reference:coupled', scenario: 'broadcast-throws', expected: 'fail', actual: false, met: true },
      { target: 'reference:decoupled', scenario: 'broadcast-throws', expected: 'pass', actual: true, met: true },
      { target: 'reference:coupled', scenario: 'baseline', expected: 'pass', actual: true, met: true },
      { target: 'reference:decoupled', scenario: 'baseline', expected: 'pass', actual: 'unknown', met: false },
    ],
    valid: false,
  };
}

/** The runner's names for each explored run's history (test-support/run-history-fixture.ts writes run 1's). */
function runFiles(scenario: string, target: string, runs: number): string[] {
  return Array.from({ length: runs }, (_, i) => `histories/${scenario}.${target}.run-${i + 1}.jsonl`);
}

const ID = {
  m1: '6743a1f0c2d4e5f601000001',
  m2: '6743a1f0c2d4e5f601000002',
  m3: '6743a1f0c2d4e5f601000003',
};

function allHold(acknowledged: number, stored: number): Record<InvariantId, Verdict> {
  const ok = (summary: string): Verdict => ({ valid: true, summary });
  return {
    I1: ok(`${acknowledged.toLocaleString('en-US')} acknowledged: ${stored.toLocaleString('en-US')} stored`),
    I2: ok('every member holds every acknowledged message after catch-up'),
    I3: ok('no broadcast of anything absent from the database'),
    I4: ok('no failed operation is stored'),
    I5: ok('one document per (roomId, clientMsgId); no client shows a message twice'),
    I6: ok('seq unique per room; every view in seq order'),
    I7: ok('every client\'s final view equals the database'),
    I8: ok('no message crossed a room boundary'),
    I9: ok('no recovery was claimed complete: nothing to check'),
  };
}

function unknownCheck(error: string): CheckResult {
  const unknown: Verdict = { valid: 'unknown', summary: 'could not be checked: no database snapshot', error };
  const held = allHold(0, 0);
  return {
    valid: 'unknown',
    invariants: { ...held, I1: unknown, I3: unknown, I4: unknown, I5: unknown, I7: unknown },
    measures: measures({ acknowledged: 1_011, sendOk: 1_011, sendFail: 0, p50: 8.1, p99: 27, live: 0.998, broadcast: 2_018, gapFill: 4 }),
  };
}

function measures(m: {
  acknowledged: number;
  sendOk: number;
  sendFail: number;
  p50: number;
  p99: number;
  live: number;
  broadcast: number;
  gapFill: number;
}): Measures {
  return {
    clients: 2,
    ops: {
      send: { ok: m.sendOk, fail: m.sendFail, info: 0 },
      edit: { ok: Math.floor(m.sendOk / 10), fail: 0, info: 0 },
      delete: { ok: Math.floor(m.sendOk / 20), fail: 0, info: 0 },
    },
    acknowledged: m.acknowledged,
    ackLatencyMs: { count: m.sendOk, p50: m.p50, p99: m.p99, max: m.p99 + 3 },
    liveDeliveryRate: m.live,
    broadcastLatencyMs: { count: m.broadcast, p50: 2, p99: 9, max: 12 },
    stableLatencyMs: { count: m.acknowledged, p50: m.p50 * 2, p99: m.p99 * 3, max: m.p99 * 3 },
    deliveries: { broadcast: m.broadcast, gapFill: m.gapFill, reconnect: 0, final: 0, never: 0 },
    catchup: { reads: m.gapFill + 4, changesFetched: m.gapFill * 2 },
  };
}

function message(id: string, seq: number, senderId: string, clientMsgId: string, text: string, at: string): Message {
  return {
    id,
    roomId: 'general',
    senderId,
    clientMsgId,
    text,
    seq,
    version: seq,
    createdAt: at,
    editedAt: null,
    deletedAt: null,
  };
}

/** The shrunk run of broadcast-throws/coupled: alice's second send is saved, the broadcast throws, alice hears "failed". */
function brokenHistory(): HistoryEvent[] {
  const m1 = message(ID.m1, 1, 'alice', 'alice-1', 'hello bob', '2026-11-24T17:00:10.012Z');
  const m2 = message(ID.m2, 2, 'alice', 'alice-2', '<b>bold</b> & "quoted" | piped', '2026-11-24T17:00:10.035Z');
  const m3 = message(ID.m3, 3, 'bob', 'bob-1', 'hi alice', '2026-11-24T17:00:10.057Z');
  return [
    {
      type: 'meta',
      formatVersion: 1,
      scenario: 'broadcast-throws',
      pattern: 'coupled',
      target: 'reference:coupled',
      seed: 424244,
      path: '2:1:0:0',
      startedAt: '2026-11-24T17:00:10.000Z',
      database: { kind: 'ferretdb', version: '7.0.77 (FerretDB v1.24.2, SQLite)', writeConcern: 'majority, journaled' },
      topology: {
        rooms: [{ id: 'general', members: ['alice', 'bob'] }],
        clients: [
          { id: 'alice', userId: 'alice' },
          { id: 'bob', userId: 'bob' },
        ],
      },
    },
    { type: 'connection', time: 3, process: 'alice', state: 'open' },
    { type: 'connection', time: 4, process: 'bob', state: 'open' },
    { type: 'invoke', time: 10, process: 'alice', op: 1, kind: 'send', roomId: 'general', clientMsgId: 'alice-1', text: 'hello bob' },
    { type: 'broadcast', time: 24, process: 'bob', event: 'message.created', message: m1 },
    { type: 'broadcast', time: 25, process: 'alice', event: 'message.created', message: m1 },
    { type: 'complete', time: 26, process: 'alice', op: 1, status: 'ok', httpStatus: 201, message: m1 },
    { type: 'fault', time: 30, fault: 'broadcast.throw', phase: 'start', target: 'server', params: { count: 1 } },
    { type: 'invoke', time: 31, process: 'alice', op: 2, kind: 'send', roomId: 'general', clientMsgId: 'alice-2', text: m2.text },
    {
      type: 'complete',
      time: 47,
      process: 'alice',
      op: 2,
      status: 'fail',
      httpStatus: 500,
      error: { code: 'BROADCAST_FAILED', message: 'broadcast failed: injected fault broadcast.throw', outcome: 'not_applied' },
    },
    { type: 'fault', time: 50, fault: 'broadcast.throw', phase: 'heal', target: 'server' },
    { type: 'invoke', time: 52, process: 'bob', op: 3, kind: 'send', roomId: 'general', clientMsgId: 'bob-1', text: 'hi alice' },
    { type: 'broadcast', time: 63, process: 'alice', event: 'message.created', message: m3 },
    { type: 'broadcast', time: 64, process: 'bob', event: 'message.created', message: m3 },
    { type: 'complete', time: 65, process: 'bob', op: 3, status: 'ok', httpStatus: 201, message: m3 },
    { type: 'catchup', time: 68, process: 'alice', roomId: 'general', after: 1, reason: 'gap', changes: [m2, m3], latestVersion: 3, hasMore: false },
    { type: 'fault', time: 70, fault: 'ws.reset', phase: 'start', target: 'bob' },
    { type: 'connection', time: 71, process: 'bob', state: 'closed', code: 1006, reason: 'connection reset' },
    { type: 'fault', time: 78, fault: 'ws.reset', phase: 'heal', target: 'bob' },
    { type: 'connection', time: 82, process: 'bob', state: 'open' },
    { type: 'catchup', time: 85, process: 'bob', roomId: 'general', after: 1, reason: 'reconnect', changes: [m2, m3], latestVersion: 3, hasMore: false },
    { type: 'catchup', time: 90, process: 'alice', roomId: 'general', after: 3, reason: 'final', changes: [], latestVersion: 3, hasMore: false },
    { type: 'catchup', time: 91, process: 'bob', roomId: 'general', after: 3, reason: 'final', changes: [], latestVersion: 3, hasMore: false },
    { type: 'client-view', time: 93, process: 'alice', rooms: [{ roomId: 'general', messages: [m1, m2, m3] }] },
    { type: 'client-view', time: 93, process: 'bob', rooms: [{ roomId: 'general', messages: [m1, m2, m3] }] },
    { type: 'db-snapshot', time: 95, messages: [m1, m2, m3] },
  ];
}
