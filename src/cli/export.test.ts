import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHistory } from '../history/jsonl-history-writer.js';
import { readEdnForms } from '../test-support/edn-reader.js';
import { runCli } from '../test-support/run-cli.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';

/** No database, no server: export reads a history file. */
describe('ackproof export', () => {
  it('writes a history as elle-cli JSON (one array) or EDN (one op map a line), and refuses a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ackproof-export-'));
    const history = join(dir, 'run.jsonl');
    await writeHistory(history, runResultFixture().cases[0]!.counterexample!.history);
    const json = await runCli(['export', '--format', 'elle-json', history, '-o', join(dir, 'history.json')]);
    expect(json.code, json.stderr).toBe(0);
    const ops = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { index: number }[];
    expect(ops[0]).toEqual({ index: 0, time: 10_000_000, type: 'invoke', process: 0, f: 'add', value: 0 });

    const edn = await runCli(['export', '--format', 'edn', history]);
    expect(edn.code, edn.stderr).toBe(0);
    expect(readEdnForms(edn.stdout)).toHaveLength(ops.length);

    const missing = await runCli(['export', '--format', 'edn', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no such file/);
  });
});
