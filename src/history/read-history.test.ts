import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../test-support/history-builder.js';
import { HistoryFormatError } from './history-format-error.js';
import { validateHistory } from './history-sequence-validator.js';
import { toHistoryLine } from './jsonl-history-writer.js';
import { parseHistory, readHistory } from './read-history.js';

function sample() {
  const h = new HistoryBuilder();
  const m = h.send('c1', 'general', 'hello');
  h.broadcast('c2', m).catchup('c2', 'general', 'final');
  h.edit('c1', m, 'hello, edited');
  h.remove('c1', m, { status: 'info', open: true });
  return h.finish();
}

const jsonl = (events: unknown[]): string => events.map((event) => `${JSON.stringify(event)}\n`).join('');

function rejection(text: string): HistoryFormatError {
  try {
    parseHistory(text);
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error('the history was accepted');
}

describe('parseHistory', () => {
  it('reads back what the writer writes, skipping blank lines', () => {
    const history = sample();
    expect(parseHistory(`${history.map(toHistoryLine).join('')}\n\n`)).toEqual(history);
  });

  const [meta, invoke, complete, ...rest] = sample();
  const cases: [string, string, number, string][] = [
    ['bad JSON', `${JSON.stringify(meta)}\n{"type": "invoke",\n`, 2, 'bad JSON: '],
    ['not an object', `${JSON.stringify(meta)}\n[1, 2]\n`, 2, 'not a JSON object'],
    ['no type', jsonl([meta, { time: 1 }]), 2, 'missing field "type"'],
    ['unknown type', jsonl([meta, { ...invoke, type: 'invocation' }]), 2, 'unknown type "invocation" (expected one of meta, invoke'],
    ['missing field', jsonl([meta, { ...invoke, process: undefined }]), 2, 'missing field "process"'],
    ['ill-typed nested field', jsonl([meta, invoke, { ...complete, message: { ...(complete as { message: object }).message, seq: '1' } }]), 3, 'field "message.seq": expected number, received string'],
    ['bad enum', jsonl([meta, invoke, { ...complete, status: 'done' }]), 3, 'field "status": '],
    ['first line not meta', jsonl([invoke, meta]), 1, 'the first record must be "meta", got "invoke"'],
    ['two metas', jsonl([meta, meta]), 2, 'a second "meta" record (the first is on line 1)'],
    ['complete without invoke', jsonl([meta, complete]), 2, 'complete of op 0 without an earlier invoke'],
    ['complete twice', jsonl([meta, invoke, complete, complete]), 4, 'op 0 completed twice (first on line 3)'],
    ['complete by another process', jsonl([meta, invoke, { ...complete, process: 'c2' }]), 3, 'complete of op 0 by "c2", but "c1" invoked it'],
    ['invoke twice', jsonl([meta, invoke, invoke]), 3, 'op 0 invoked twice (first on line 2)'],
    ['send without key', jsonl([meta, { ...invoke, clientMsgId: undefined }]), 2, 'send invoke of op 0 without "clientMsgId"'],
    ['unknown process', jsonl([meta, { ...invoke, process: 'c9' }]), 2, 'unknown process "c9"'],
    ['time backwards', jsonl([meta, { ...invoke, time: 5 }, { ...complete, time: 4 }]), 3, 'time 4 is earlier than the previous record\'s 5'],
    ['two snapshots', jsonl([meta, ...rest.filter((e) => e.type === 'db-snapshot'), ...rest.filter((e) => e.type === 'db-snapshot')]), 3, 'a second db-snapshot (the first is on line 2)'],
    ['future format', jsonl([{ ...meta, formatVersion: 2 }]), 1, 'unsupported history format version (this ackproof reads version 1)'],
    ['empty', '\n', 2, 'empty history (no "meta" record)'],
  ];
  it.each(cases)('rejects %s, naming the line and why', (_name, text, line, reason) => {
    const error = rejection(text);
    expect(error.line).toBe(line);
    expect(error.reason).toContain(reason);
    expect(error.message).toContain(`history line ${line}: `);
  });
});

describe('readHistory', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ackproof-read-history-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file in the error', async () => {
    const path = join(dir, 'broken.jsonl');
    const [meta] = sample();
    await writeFile(path, `${JSON.stringify(meta)}\nnot json\n`);
    await expect(readHistory(path)).rejects.toThrow(`${path} line 2: bad JSON`);
  });
});

describe('validateHistory', () => {
  it('accepts a recorded history and rejects one out of order', () => {
    const history = sample();
    expect(() => validateHistory(history)).not.toThrow();
    expect(() => validateHistory(history.slice(1))).toThrow('history line 1: the first record must be "meta"');
  });
});
