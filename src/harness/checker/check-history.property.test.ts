import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../chat/message.js';
import { DEFAULT_TOPOLOGY, HistoryBuilder } from '../../test-support/history-builder.js';
import type { CompletionStatus } from '../../history/event.js';
import { checkHistory } from './check-history.js';

/**
 * No false alarms, and no blind spot for the simplest loss: any history of a correct server (whatever mix of ok,
 * fail and info outcomes, whatever states reach whom live or by catch-up) passes all nine invariants; the same
 * history with one acknowledged message missing from the database fails I1.
 */
type Step =
  | { op: 'send'; client: number; room: number; status: CompletionStatus; applied: boolean }
  | { op: 'edit' | 'delete'; client: number; pick: number; status: CompletionStatus; applied: boolean }
  | { op: 'deliver'; client: number; pick: number; live: boolean };

const clients = DEFAULT_TOPOLOGY.clients.map((client) => client.id);
const rooms = DEFAULT_TOPOLOGY.rooms.map((room) => room.id);
const outcome = fc.constantFrom<[CompletionStatus, boolean]>(['ok', true], ['fail', false], ['info', true], ['info', false]);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ op: fc.constant('send' as const), client: fc.nat(), room: fc.nat(), outcome })
    .map(({ outcome: [status, applied], ...s }) => ({ ...s, status, applied })),
  fc
    .record({ op: fc.constantFrom('edit' as const, 'delete' as const), client: fc.nat(), pick: fc.nat(), outcome })
    .map(({ outcome: [status, applied], ...s }) => ({ ...s, status, applied })),
  fc.record({ op: fc.constant('deliver' as const), client: fc.nat(), pick: fc.nat(), live: fc.boolean() }),
);

function build(steps: Step[]): HistoryBuilder {
  const h = new HistoryBuilder();
  const states: Message[] = [];
  const userOf = (client: string) => DEFAULT_TOPOLOGY.clients.find((c) => c.id === client)?.userId ?? '';
  const member = (client: string, roomId: string) =>
    DEFAULT_TOPOLOGY.rooms.find((room) => room.id === roomId)?.members.includes(userOf(client)) ?? false;
  let text = 0;
  for (const s of steps) {
    const client = clients[s.client % clients.length] ?? 'c1';
    if (s.op === 'send') {
      const roomId = rooms[s.room % rooms.length] ?? 'general';
      if (!member(client, roomId)) continue;
      const sent = h.send(client, roomId, `text ${text++}`, { status: s.status, applied: s.applied });
      if (s.applied) states.push(sent);
      continue;
    }
    if (s.op === 'deliver') {
      const state = states[s.pick % Math.max(1, states.length)];
      if (!state || !member(client, state.roomId)) continue;
      if (s.live) h.broadcast(client, state);
      else h.catchup(client, state.roomId, 'gap', [state], state.version - 1);
      continue;
    }
    const own = [...h.db.values()].filter((m) => m.senderId === userOf(client) && m.deletedAt === null);
    const target = own[s.pick % Math.max(1, own.length)];
    if (!target) continue;
    const options = { status: s.status, applied: s.applied };
    const changed = s.op === 'edit' ? h.edit(client, target, `text ${text++}`, options) : h.remove(client, target, options);
    if (s.applied) states.push(changed);
  }
  return h;
}

describe('checkHistory on generated histories', () => {
  it('passes every history of a correct server', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const result = checkHistory(build(steps).finish());
        const failing = Object.entries(result.invariants).filter(([, verdict]) => verdict.valid !== true);
        expect(failing).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('fails I1 when an acknowledged message is missing from the database', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.nat(), (steps, pick) => {
        const h = build(steps);
        const history = h.finish();
        const sends = new Set(history.flatMap((e) => (e.type === 'invoke' && e.kind === 'send' ? [e.op] : [])));
        const acknowledged = history.flatMap((e) =>
          e.type === 'complete' && e.status === 'ok' && sends.has(e.op) && e.message ? [e.message.id] : [],
        );
        fc.pre(acknowledged.length > 0);
        const lost = acknowledged[pick % acknowledged.length];
        const damaged = history.map((e) => (e.type === 'db-snapshot' ? { ...e, messages: e.messages.filter((m) => m.id !== lost) } : e));
        const result = checkHistory(damaged);
        expect(result.invariants.I1.valid).toBe(false);
        expect(result.valid).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
