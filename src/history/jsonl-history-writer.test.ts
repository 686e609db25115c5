import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../test-support/history-builder.js';
import { HistoryRecorder } from './history-recorder.js';
import { JsonlHistoryWriter, writeHistory } from './jsonl-history-writer.js';
import { readHistory } from './read-history.js';

describe('JsonlHistoryWriter', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ackproof-history-writer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a recorder into a file that reads back as the same history', async () => {
    const [meta] = new HistoryBuilder().build();
    if (meta?.type !== 'meta') throw new Error('no meta');
    let now = 0;
    const recorder = new HistoryRecorder(meta, () => (now += 2));
    const path = join(dir, 'run.jsonl');
    const writer = new JsonlHistoryWriter(path);
    recorder.subscribe((event) => writer.append(event), { replay: true });
    const invoke = recorder.invoke({ process: 'c1', kind: 'send', roomId: 'general', clientMsgId: 'k1', text: 'line\nbreak "quoted"' });
    recorder.complete({ process: 'c1', op: invoke.op, status: 'info', error: { code: 'TIMEOUT', message: 'no reply' } });
    recorder.record({ type: 'fault', fault: 'ws.reset', phase: 'start', target: 'all' });
    await writer.close();
    expect(await readHistory(path)).toEqual(recorder.events());
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(5);
  });

  it('writes a whole history at once', async () => {
    const history = new HistoryBuilder().finish();
    const path = join(dir, 'whole.jsonl');
    await writeHistory(path, history);
    expect(await readHistory(path)).toEqual(history);
  });

  it('reports a file it cannot write on close', async () => {
    const writer = new JsonlHistoryWriter(join(dir, 'no-such-dir', 'run.jsonl'));
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });
});
