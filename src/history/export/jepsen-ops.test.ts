import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { readEdnForms, type EdnValue } from '../../test-support/edn-reader.js';
import { runResultFixture } from '../../test-support/run-result-fixture.js';
import type { HistoryEvent } from '../event.js';
import { renderEdnHistory, renderElleJsonHistory } from './edn.js';
import { jepsenOps, type JepsenOp } from './jepsen-ops.js';

type PlainOp = { index: number; time: number; type: string; process: number | string; f: string; value: unknown };

/** The EDN read back as plain ops (keywords as their names), to compare with the JSON. */
function fromEdn(text: string): PlainOp[] {
  const plain = (v: EdnValue): unknown =>
    v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [String(k).replace(/^:/, ''), plain(x)])) : Array.isArray(v) ? v.map(plain) : v !== null && typeof v === 'object' ? v.keyword : v;
  return readEdnForms(text).map((form) => plain(form) as PlainOp);
}

/** The rules a Jepsen history obeys (what Elle and Knossos assume of it). */
function formatViolations(ops: PlainOp[]): string[] {
  const problems: string[] = [];
  const open = new Map<number | string, PlainOp>();
  const retired = new Set<number | string>();
  let lastTime = -Infinity;
  ops.forEach((op, i) => {
    if (op.index !== i) problems.push(`op ${i}: index ${op.index}`);
    if (!Number.isInteger(op.time) || op.time < lastTime) problems.push(`op ${i}: time ${op.time} not an integer in order`);
    lastTime = op.time;
    if (!['invoke', 'ok', 'fail', 'info'].includes(op.type)) problems.push(`op ${i}: type ${op.type}`);
    if (op.process === 'nemesis') {
      if (op.type !== 'info') problems.push(`op ${i}: a nemesis op is :info`);
      return;
    }
    if (!Number.isInteger(op.process)) problems.push(`op ${i}: process ${String(op.process)} is neither an integer nor :nemesis`);
    if (retired.has(op.process)) problems.push(`op ${i}: process ${op.process} used after an :info`);
    if (op.type === 'invoke') {
      if (open.has(op.process)) problems.push(`op ${i}: process ${op.process} invoked twice at once`);
      open.set(op.process, op);
    } else {
      const invoke = open.get(op.process);
      if (!invoke) problems.push(`op ${i}: ${op.type} without an invoke`);
      else if (invoke.f !== op.f) problems.push(`op ${i}: completes ${invoke.f} as ${op.f}`);
      open.delete(op.process);
      if (op.type === 'info') retired.add(op.process);
    }
  });
  for (const [process] of open) problems.push(`process ${String(process)}: an invoke never completed`);
  return problems;
}

describe('jepsenOps', () => {
  const history = runResultFixture().cases[0]!.counterexample!.history;

  it('writes EDN that reads back to exactly the elle-cli JSON (a JSON array, not JSON lines)', () => {
    const ops = jepsenOps(history);
    const json = renderElleJsonHistory(ops);
    expect(json.trimStart().startsWith('[')).toBe(true);
    expect(fromEdn(renderEdnHistory(ops))).toEqual(JSON.parse(json));
  });

  it('obeys the format: consecutive indices, nanosecond times in order, integer processes or :nemesis, paired ops', () => {
    const ops = fromEdn(renderEdnHistory(jepsenOps(history)));
    expect(formatViolations(ops)).toEqual([]);
    // alice's failed send: an :add of element 1, :fail; the fault windows as nemesis ops; the final reads.
    expect(ops.filter((op) => op.f === 'add').map((op) => [op.type, op.process, op.value])).toEqual([
      ['invoke', 0, 0], ['ok', 0, 0], ['invoke', 0, 1], ['fail', 0, 1], ['invoke', 1, 2], ['ok', 1, 2],
    ]);
    expect(ops.find((op) => op.process === 'nemesis')).toMatchObject({ type: 'info', f: 'start', value: ['broadcast.throw', 'server'], time: 30_000_000 });
    // Both clients are members of the only room: their final views are reads, then the database's (process 2).
    expect(ops.filter((op) => op.f === 'read' && op.type === 'ok').map((op) => [op.process, op.value])).toEqual([[0, [0, 1, 2]], [1, [0, 1, 2]], [2, [0, 1, 2]]]);
  });

  it('the checker of the format catches what it must (fed a broken history)', () => {
    const ops = fromEdn(renderEdnHistory(jepsenOps(history)));
    const twice = ops.map((op, i) => (i === 4 ? { ...op, type: 'invoke' } : op));
    expect(formatViolations(twice).join('\n')).toMatch(/invoked twice at once/);
    expect(formatViolations([{ ...ops[0]!, process: 'alice' }]).join('\n')).toMatch(/neither an integer nor :nemesis/);
  });

  it('gives a process a new number after an :info, and completes an operation still open at the end as :info', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'lost?', { status: 'info' });
    h.send('c1', 'general', 'again', { latency: 5 });
    h.send('c2', 'general', 'hanging', { status: 'info', open: true });
    const ops = fromEdn(renderEdnHistory(jepsenOps(h.finish() as HistoryEvent[])));
    expect(formatViolations(ops)).toEqual([]);
    const adds = ops.filter((op) => op.f === 'add').map((op) => `${op.type}:${String(op.process)}`);
    // Two clients + the database reader make 3 processes: c1's second send runs as process 0 + 3.
    expect(adds).toEqual(['invoke:0', 'info:0', 'invoke:3', 'ok:3', 'invoke:1', 'info:1']);
  });

  it('round-trips every kind of value the exporter writes', () => {
    const op: JepsenOp = { index: 0, time: 1, type: { keyword: 'info' }, process: { keyword: 'nemesis' }, f: { keyword: 'start' }, value: ['ws.reset', 'bob "quoted"\n', null, -3, { a: [1] }] };
    expect(fromEdn(renderEdnHistory([op]))).toEqual(JSON.parse(renderElleJsonHistory([op])));
  });
});
