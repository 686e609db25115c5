import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../scenario/load-scenarios.js';
import { scenarioSchema, type Scenario } from '../scenario/scenario-schema.js';
import { emptyModel } from './run-model.js';
import type { ConcurrentOp, FaultInstance, RunWorld } from './run-world.js';
import { isScenarioRun, runLengths, scenarioCommands } from './scenario-commands.js';

function scenario(workload: Record<string, unknown>, faults: unknown[] = []): Scenario {
  return scenarioSchema.parse({
    name: 'gen',
    description: 'generator test',
    topology: { rooms: [{ id: 'general', members: ['alice', 'bob', 'carol'] }, { id: 'random', members: ['alice', 'dave'] }] },
    workload,
    faults,
  });
}

const ROOMS_OF: Record<string, string[]> = { alice: ['general', 'random'], bob: ['general'], carol: ['general'], dave: ['random'] };

/** Runs sampled sequences against a world that only writes down what it was asked. */
async function calls(s: Scenario, numRuns = 50, seed = 7): Promise<string[][]> {
  const sequences = fc.sample(scenarioCommands(s), { numRuns, seed });
  const out: string[][] = [];
  for (const commands of sequences) {
    const log: string[] = [];
    const world: RunWorld = {
      send: async (c, r) => void log.push(`send ${c} ${r}`),
      edit: async (c) => void log.push(`edit ${c}`),
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
  it('gives runs of workload.ops commands on average, drawn evenly from half of it to one and a half times it', async () => {
    const { scenario: baseline } = await loadScenarioFile('scenarios/baseline.json');
    const ops = 30;
    const s = { ...baseline, workload: { ...baseline.workload, ops, minOps: 1 } };
    expect(runLengths(s.workload)).toEqual({ min: 15, max: 45 });
    const drawn = fc.sample(scenarioCommands(s), { numRuns: 1000, seed: 42 }).map((commands) => [...commands]);
    const runs = drawn.filter((commands) => isScenarioRun(commands, s)).map((commands) => commands.length);
    // fast-check's default size ('small') never goes past 10 commands; fc.commands alone would average ops / 2.
    expect(Math.min(...runs)).toBe(15);
    expect(Math.max(...runs)).toBe(45);
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    expect(mean).toBeGreaterThan(28);
    expect(mean).toBeLessThan(32);
    // The draws skipped for being too short cost nothing but are not most of them.
    expect(runs.length).toBeGreaterThan(drawn.length / 2);
    // minOps raises the lower bound (and the upper mirrors it); it never goes past ops.
    expect(runLengths({ ops: 10, minOps: 6 })).toEqual({ min: 6, max: 14 });
    expect(runLengths({ ops: 10, minOps: 10 })).toEqual({ min: 10, max: 10 });
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

  it('takes as a run only a sequence with a window of every fault it starts and heals, and (unless shrinking) at least half of ops (or minOps) commands', () => {
    const s = scenario({ ops: 8, minOps: 3, mix: { send: 1, fault: 1 } }, [{ name: 'ws.reset' }, { name: 'db.latency' }, { name: 'bus.saturate', always: true }]);
    const sequences = fc.sample(scenarioCommands(s), { numRuns: 300, seed: 5 }).map((commands) => [...commands]);
    const windows = (commands: unknown[]) => new Set(commands.map((c) => /^during ([^ :]+)/.exec(String(c))?.[1]));
    const taken = sequences.filter((commands) => isScenarioRun(commands, s));
    expect(taken.length).toBeGreaterThan(20);
    expect(taken.length).toBeLessThan(sequences.length);
    for (const commands of sequences) {
      const whole = commands.length >= 4 && windows(commands).has('ws.reset') && windows(commands).has('db.latency');
      expect(isScenarioRun(commands, s)).toBe(whole);
      // A shrink candidate may be shorter than minOps, never without a window of each fault.
      expect(isScenarioRun(commands, s, true)).toBe(windows(commands).has('ws.reset') && windows(commands).has('db.latency'));
    }
    // Without faults to toggle, only the length counts.
    const plain = scenario({ ops: 8, minOps: 3, mix: { send: 1 } });
    for (const commands of fc.sample(scenarioCommands(plain), { numRuns: 50, seed: 5 }).map((c) => [...c])) {
      expect(isScenarioRun(commands, plain)).toBe(commands.length >= 4);
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
});
