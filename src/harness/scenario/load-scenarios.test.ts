import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarios } from './load-scenarios.js';
import { ScenarioError } from './scenario-error.js';

const dir = mkdtempSync(join(tmpdir(), 'ackproof-scenarios-'));
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
