import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarios } from './load-scenarios.js';
import { ScenarioError } from './scenario-error.js';
import { DEFAULT_MIX } from './scenario-schema.js';
import { scenarioRequirements } from './scenario-requirements.js';

const dir = mkdtempSync(join(tmpdir(), 'ackproof-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const valid = {
  name: 'tiny',
  description: 'a tiny scenario',
  topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
  workload: { ops: 3 },
  expect: { coupled: 'pass' },
};

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function rejection(file: string): Promise<ScenarioError> {
  const error = await loadScenarioFile(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

describe('loadScenarios', () => {
  it('loads every shipped scenario, each stating its verdict for coupled and decoupled', async () => {
    const loaded = await loadScenarios(['scenarios']);
    expect(loaded.length).toBeGreaterThanOrEqual(8);
    for (const { scenario } of loaded) {
      expect(scenario.expect.coupled, scenario.name).toMatch(/pass|fail/);
      expect(scenario.expect.decoupled, scenario.name).toMatch(/pass|fail/);
    }
  });

  it('fills defaults', async () => {
    const { scenario } = await loadScenarioFile(write('ok.json', valid));
    expect(scenario.runs).toBe(5);
    expect(scenario.client.retries).toBe(2);
    expect(scenario.workload.mix.send).toBeGreaterThan(0);
  });

  it('weighs a kind left out of a given mix 0, and takes the default mix only when mix is missing', async () => {
    const partial = await loadScenarioFile(write('partial-mix.json', { ...valid, workload: { ops: 3, mix: { send: 2, burst: 1 } } }));
    expect(partial.scenario.workload.mix).toEqual({ send: 2, edit: 0, delete: 0, burst: 1, concurrent: 0, reconnect: 0, fault: 0 });
    const missing = await loadScenarioFile(write('no-mix.json', valid));
    expect(missing.scenario.workload.mix).toEqual({ ...DEFAULT_MIX, fault: 0 });
    // The default is not shared: a scenario's mix is its own.
    expect(missing.scenario.workload.mix).not.toBe(DEFAULT_MIX);
    expect(DEFAULT_MIX.fault).toBe(2);
  });

  it('refuses a fault the commands would never start (a mix without fault weight)', async () => {
    const file = write('no-fault-weight.json', { ...valid, workload: { ops: 3, mix: { send: 1 } }, faults: [{ name: 'ws.reset' }] });
    const error = await rejection(file);
    expect(error.field).toBe('workload.mix.fault');
    expect(error.message).toContain('ws.reset');
    const noWrites = { ...valid, workload: { ops: 3, mix: { reconnect: 1, fault: 1 } }, faults: [{ name: 'ws.reset' }] };
    expect((await rejection(write('no-writes.json', noWrites))).field).toBe('workload.mix');
    // Held for the whole run, it needs no weight.
    const always = { ...valid, workload: { ops: 3, mix: { send: 1 } }, faults: [{ name: 'ws.reset', always: true }] };
    await expect(loadScenarioFile(write('always.json', always))).resolves.toBeDefined();
  });

  it('reads requires strictly, and defaults to one faulted write per fault the scenario names', async () => {
    const error = await rejection(write('requires-typo.json', { ...valid, requires: { unknownOutcome: 1 } }));
    expect(error.field).toBe('requires.unknownOutcome');
    expect((await rejection(write('requires-bad.json', { ...valid, requires: { faultedWrites: -1 } }))).field).toBe('requires.faultedWrites');

    const faulted = { ...valid, workload: { ops: 3, mix: { send: 1, fault: 1 } }, faults: [{ name: 'ws.reset' }, { name: 'db.latency' }] };
    const loaded = await loadScenarioFile(write('faulted.json', faulted));
    expect(scenarioRequirements(loaded.scenario)).toEqual({
      faultedWrites: { 'ws.reset': 1, 'db.latency': 1 },
      unknownOutcomes: 0,
      concurrentWrites: 0,
      commandsPerRun: 0,
    });
    const asked = await loadScenarioFile(write('asked.json', { ...faulted, requires: { faultedWrites: 0, unknownOutcomes: 2 } }));
    expect(scenarioRequirements(asked.scenario)).toMatchObject({ faultedWrites: {}, unknownOutcomes: 2 });
    expect(scenarioRequirements((await loadScenarioFile(write('plain.json', valid))).scenario).faultedWrites).toEqual({});
    // Totals over the scenario's runs (5 by default): other run counts scale them, rounded up, at least 1.
    const counted = (await loadScenarioFile(write('counted.json', { ...faulted, requires: { concurrentWrites: 10, unknownOutcomes: 2, commandsPerRun: 4 } }))).scenario;
    expect(scenarioRequirements(counted, 1)).toEqual({
      faultedWrites: { 'ws.reset': 1, 'db.latency': 1 },
      unknownOutcomes: 1,
      concurrentWrites: 2,
      commandsPerRun: 4,
    });
    expect(scenarioRequirements(counted, 20)).toMatchObject({ faultedWrites: { 'ws.reset': 4 }, unknownOutcomes: 8, concurrentWrites: 40 });
  });

  it('names the file and the field of a wrong value', async () => {
    const file = write('bad-value.json', { ...valid, workload: { ops: 'many' } });
    const error = await rejection(file);
    expect(error.file).toBe(file);
    expect(error.field).toBe('workload.ops');
    expect(error.message).toContain(file);
  });

  it('names an unknown field (a typo is an error, not ignored)', async () => {
    const error = await rejection(write('typo.json', { ...valid, fualts: [] }));
    expect(error.field).toBe('fualts');
  });

  it('reads thresholds per target, and names a malformed or scoped one', async () => {
    const ok = await loadScenarioFile(write('thresholds.json', { ...valid, thresholds: { outbox: ['live-delivery>=0.99', 'ack-p99<=2s'] } }));
    expect(ok.scenario.thresholds).toEqual({ outbox: ['live-delivery>=0.99', 'ack-p99<=2s'] });
    const bad = await rejection(write('bad-threshold.json', { ...valid, thresholds: { outbox: ['live-delivery>=2'] } }));
    expect(bad.message).toMatch(/thresholds\.outbox\[0\].*is a rate/);
    const scoped = await rejection(write('scoped-threshold.json', { ...valid, thresholds: { outbox: ['decoupled:ack-p99<=2s'] } }));
    expect(scoped.message).toMatch(/without a TARGET: prefix/);
  });

  it('names an unknown fault', async () => {
    const error = await rejection(write('fault.json', { ...valid, faults: [{ name: 'ws.meteor' }] }));
    expect(error.field).toBe('faults[0].name');
  });

  it('rejects invalid JSON and a room listed twice', async () => {
    expect((await rejection(write('broken.json', '{"name": '))).message).toMatch(/not valid JSON/);
    const twice = { ...valid, topology: { rooms: [valid.topology.rooms[0], valid.topology.rooms[0]] } };
    expect((await rejection(write('twice.json', twice))).field).toBe('topology.rooms[1].id');
  });

  it('rejects a missing path', async () => {
    await expect(loadScenarios([join(dir, 'nope')])).rejects.toThrow(/no such file/);
  });
});
