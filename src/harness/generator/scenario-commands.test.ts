import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../scenario/load-scenarios.js';
import { scenarioSchema, type Scenario } from '../scenario/scenario-schema.js';
import { emptyModel } from './run-model.js';
import type { ConcurrentOp, FaultInstance, RunWorld } from './run-world.js';
import { isScenarioRun, scenarioCommands } from './scenario-commands.js';
import type { SendInput, TextShape } from './client-input.js';

function scenario(workload: Record<string, unknown>, faults: unknown[] = [], inputs?: Record<string, unknown>): Scenario {
  return scenarioSchema.parse({
    name: 'gen',
    description: 'generator test',
    topology: { rooms: [{ id: 'general', members: ['alice', 'bob', 'carol'] }, { id: 'random', members: ['alice', 'dave'] }] },
    workload,
    faults,
    ...(inputs ? { inputs } : {}),
  });
}

const BASELINE_DIGEST = '6b3e3df3e53b71db';

const ROOMS_OF: Record<string, string[]> = { alice: ['general', 'random'], bob: ['general'], carol: ['general'], dave: ['random'] };

/** Runs sampled sequences against a world that only writes down what it was asked. */
async function calls(s: Scenario, numRuns = 50, seed = 7): Promise<string[][]> {
  const sequences = fc.sample(scenarioCommands(s), { numRuns, seed });
  const out: string[][] = [];
  for (const commands of sequences) {
    const log: string[] = [];
    const world: RunWorld = {
      send: async (c, r, input?: SendInput) => void log.push(`send ${c} ${r}${input ? ` ${JSON.stringify(input)}` : ''}`),
      edit: async (c, _pick, text?: TextShape) => void log.push(`edit ${c}${text ? ` ${JSON.stringify({ text })}` : ''}`),
      delete: async (c) => void log.push(`delete ${c}`),
      burst: async (size) => void log.push(`burst ${size}`),
      concurrently: async (ops: readonly ConcurrentOp[]) => void log.push(`concurrently ${JSON.stringify(ops)}`),
      reconnect: async (c) => void log.push(`reconnect ${c}`),
      startFault: async (f: FaultInstance) => void log.push(`start ${f.name}@${f.target ?? ''}`),
      healFault: async (f: FaultInstance) => void log.push(`heal ${f.name}@${f.target ?? ''}`),
    };
    await fc.asyncModelRun(() => ({ model: emptyModel(), real: world }), commands);
    out.push(log);
  }
  return out;
}

describe('scenarioCommands', () => {
  it('draws sequences up to workload.ops long, not capped by fast-check\'s default size', async () => {
    const { scenario: baseline } = await loadScenarioFile('scenarios/baseline.json');
    const ops = 30;
    const arbitrary = scenarioCommands({ ...baseline, workload: { ...baseline.workload, ops } });
    const lengths = fc.sample(arbitrary, { numRuns: 300, seed: 42 }).map((commands) => [...commands].length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(ops);
    // fast-check's default size ('small') never goes past 10 commands.
    expect(Math.max(...lengths)).toBeGreaterThan(20);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeGreaterThan(10);
  });

  it('opens every fault window around 1 to 4 client operations that write (no reconnect), and heals it', async () => {
    const s = scenario({ ops: 12, mix: { send: 2, edit: 1, burst: 1, reconnect: 2, fault: 3 } }, [{ name: 'ws.reset' }, { name: 'db.unreachable' }]);
    let windows = 0;
    for (const log of await calls(s, 40, 11)) {
      let open: { key: string; ops: number } | undefined;
      for (const call of log) {
        const [phase, key] = call.split(' ');
        if (phase === 'start') {
          expect(open, call).toBeUndefined();
          open = { key: key!, ops: 0 };
        } else if (phase === 'heal') {
          expect(open?.key).toBe(key);
          expect(open!.ops).toBeGreaterThanOrEqual(1);
          expect(open!.ops).toBeLessThanOrEqual(4);
          open = undefined;
          windows++;
        } else if (open) {
          expect(call).not.toMatch(/^reconnect/);
          open.ops++;
        }
      }
      expect(open).toBeUndefined();
    }
    expect(windows).toBeGreaterThan(40);
  });

  it('takes as a run only a sequence with a window of every fault it starts and heals, and (unless shrinking) minOps commands', () => {
    const s = scenario({ ops: 8, minOps: 3, mix: { send: 1, fault: 1 } }, [{ name: 'ws.reset' }, { name: 'db.latency' }, { name: 'bus.saturate', always: true }]);
    const sequences = fc.sample(scenarioCommands(s), { numRuns: 300, seed: 5 }).map((commands) => [...commands]);
    const windows = (commands: unknown[]) => new Set(commands.map((c) => /^during ([^ :]+)/.exec(String(c))?.[1]));
    const taken = sequences.filter((commands) => isScenarioRun(commands, s));
    expect(taken.length).toBeGreaterThan(20);
    expect(taken.length).toBeLessThan(sequences.length);
    for (const commands of sequences) {
      const whole = commands.length >= 3 && windows(commands).has('ws.reset') && windows(commands).has('db.latency');
      expect(isScenarioRun(commands, s)).toBe(whole);
      // A shrink candidate may be shorter than minOps, never without a window of each fault.
      expect(isScenarioRun(commands, s, true)).toBe(windows(commands).has('ws.reset') && windows(commands).has('db.latency'));
    }
    // Without faults to toggle, only the length counts.
    const plain = scenario({ ops: 8, minOps: 3, mix: { send: 1 } });
    for (const commands of fc.sample(scenarioCommands(plain), { numRuns: 50, seed: 5 }).map((c) => [...c])) {
      expect(isScenarioRun(commands, plain)).toBe(commands.length >= 3);
    }
  });

  it('generates no edit or delete when the mix leaves them out', async () => {
    const runs = (await calls(scenario({ ops: 20, mix: { send: 3, burst: 1 } }))).flat();
    expect(runs.some((call) => call.startsWith('send'))).toBe(true);
    expect(runs.filter((call) => /^(edit|delete|concurrently|reconnect|start|heal)/.test(call))).toEqual([]);
  });

  it('draws concurrent bursts of sends, edits and deletes by several clients, at most concurrentOps long', async () => {
    const runs = (await calls(scenario({ ops: 6, mix: { concurrent: 1 }, concurrentOps: 9 }))).flat();
    const bursts = runs.map((call) => JSON.parse(call.replace(/^concurrently /, '')) as ConcurrentOp[]);
    expect(bursts.length).toBeGreaterThan(20);
    for (const ops of bursts) {
      expect(ops.length).toBeGreaterThanOrEqual(2);
      expect(ops.length).toBeLessThanOrEqual(9);
      // A send goes to a room the client is a member of.
      for (const op of ops) if (op.kind === 'send') expect(ROOMS_OF[op.clientId]).toContain(op.roomId);
    }
    const all = bursts.flat();
    for (const kind of ['send', 'edit', 'delete'] as const) expect(all.some((op) => op.kind === kind), kind).toBe(true);
    expect(bursts.some((ops) => new Set(ops.map((op) => op.clientId)).size >= 3)).toBe(true);
  });

  it('draws exactly the sequences it always drew for a scenario without inputs (old seeds replay the same)', async () => {
    const { scenario: baseline } = await loadScenarioFile('scenarios/baseline.json');
    const printed = fc.sample(scenarioCommands(baseline), { numRuns: 20, seed: 3 }).map(String).join('\n');
    // The digest of these sequences as drawn before `inputs` existed (commit 20060a9).
    expect(createHash('sha256').update(printed).digest('hex').slice(0, 16)).toBe(BASELINE_DIGEST);
    expect(printed).not.toMatch(/key #|text "/);
  });

  it('draws the inputs real clients make in the proportions of `inputs`: reused keys, shaped texts, in sends, edits and bursts', async () => {
    const s = scenario({ ops: 12, mix: { send: 3, edit: 1, concurrent: 1 } }, [], {
      keys: { fresh: 1, otherUser: 1, otherRoom: 1, retryOtherText: 1 },
      texts: { plain: 1, emoji: 1, combining: 1, rtl: 1, loneSurrogate: 1, long: 1 },
      maxTextLength: 100,
    });
    const calls_ = (await calls(s, 40, 13)).flat();
    const inputs = calls_.filter((c) => c.startsWith('send ')).map((c) => JSON.parse(c.split(' ').slice(3).join(' ')) as SendInput);
    for (const kind of ['fresh', 'other-user', 'other-room', 'retry-other-text']) expect(inputs.some((i) => i.key.kind === kind), kind).toBe(true);
    for (const kind of ['plain', 'emoji', 'combining', 'rtl', 'lone-surrogate', 'long']) expect(inputs.some((i) => i.text.kind === kind), kind).toBe(true);
    const lengths = inputs.flatMap((i) => (i.text.kind === 'long' ? [i.text.length] : []));
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(97);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(101);
    expect(calls_.some((c) => /^edit \w+ \{"text"/.test(c))).toBe(true);
    const bursts = calls_.filter((c) => c.startsWith('concurrently')).flatMap((c) => JSON.parse(c.replace(/^concurrently /, '')) as ConcurrentOp[]);
    expect(bursts.some((op) => op.kind === 'send' && op.input !== undefined && op.input.key.kind !== 'fresh')).toBe(true);
  });
});
