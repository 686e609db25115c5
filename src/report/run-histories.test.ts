import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunHistoryFixtures } from '../test-support/run-history-fixture.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { firstRunHistoryFile, readFirstRunHistories } from './run-histories.js';

describe('readFirstRunHistories', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ackproof-run-histories-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads run 1 of every case from the report dir, failing cases too', async () => {
    const result = runResultFixture();
    await writeRunHistoryFixtures(dir, result);
    const histories = await readFirstRunHistories(dir, result);
    expect([...histories.keys()]).toEqual(result.cases.map((c) => c.id));
    const coupled = histories.get('broadcast-throws/reference:coupled');
    expect(coupled).toMatchObject({ file: 'histories/broadcast-throws.reference-coupled.run-1.jsonl' });
    expect(coupled && 'events' in coupled ? coupled.events[0] : undefined).toMatchObject({ type: 'meta', target: 'reference:coupled', seed: 424242 });
  });

  it('says why when a file is gone or unreadable, and leaves skipped cases out', async () => {
    const result = runResultFixture();
    result.cases[0]!.runHistoryFiles = ['histories/gone.jsonl'];
    result.cases[1]!.runHistoryFiles = ['histories/bad.jsonl'];
    result.cases[3]!.skipped = true;
    await writeFile(join(dir, 'histories', 'bad.jsonl'), '{"type":"meta"}\n');
    const histories = await readFirstRunHistories(dir, result);
    expect(histories.get(result.cases[0]!.id)).toEqual({ file: 'histories/gone.jsonl', unavailable: 'histories/gone.jsonl is not in the report directory' });
    expect(histories.get(result.cases[1]!.id)).toMatchObject({ file: 'histories/bad.jsonl', unavailable: expect.stringMatching(/^histories\/bad\.jsonl could not be read: .*line 1/) });
    expect(histories.has(result.cases[3]!.id)).toBe(false);
  });
});

describe('firstRunHistoryFile', () => {
  it('is run 1’s file; in an older result, historyFile unless that is the counterexample’s', () => {
    const [failing, passing] = runResultFixture().cases;
    expect(firstRunHistoryFile(failing!)).toBe('histories/broadcast-throws.reference-coupled.run-1.jsonl');
    delete failing!.runHistoryFiles;
    delete passing!.runHistoryFiles;
    expect(firstRunHistoryFile(failing!)).toBeUndefined();
    expect(firstRunHistoryFile(passing!)).toBe('histories/broadcast-throws--decoupled.jsonl');
  });
});
