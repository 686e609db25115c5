import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { HistoryEvent } from './event.js';
import { HistoryFormatError } from './history-format-error.js';
import { historyEventSchemas, type HistoryEventType } from './history-schema.js';
import { HistorySequenceValidator } from './history-sequence-validator.js';

/**
 * Reads a JSONL history (one record a line, event.ts). Blank lines are skipped; anything else that is not a valid
 * record in a valid order is rejected with a HistoryFormatError naming the line and why. File-system errors
 * (ENOENT, EACCES) propagate as they are.
 */
export async function readHistory(path: string): Promise<HistoryEvent[]> {
  return parseHistory(await readFile(path, 'utf8'), path);
}

export function parseHistory(text: string, source?: string): HistoryEvent[] {
  const validator = new HistorySequenceValidator(source);
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const event = parseHistoryLine(raw, index + 1, source);
    validator.accept(event, index + 1);
    events.push(event);
  });
  validator.finish(lines.length);
  return events;
}

/** One line on its own: JSON, a known `type`, the fields that type needs. */
export function parseHistoryLine(raw: string, line: number, source?: string): HistoryEvent {
  const reject = (reason: string): never => {
    throw new HistoryFormatError(line, reason, source);
  };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return reject(`bad JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('not a JSON object');
  const type = (value as { type?: unknown }).type;
  if (type === undefined) return reject('missing field "type"');
  if (typeof type !== 'string' || !Object.hasOwn(historyEventSchemas, type)) {
    return reject(`unknown type ${JSON.stringify(type)} (expected one of ${Object.keys(historyEventSchemas).join(', ')})`);
  }
  const result = historyEventSchemas[type as HistoryEventType].safeParse(value);
  if (!result.success) return reject(describeIssue(result.error.issues[0], value));
  return result.data as HistoryEvent;
}

/** `missing field "message.seq"` or `field "message.seq": expected number, received string`. */
function describeIssue(issue: z.core.$ZodIssue | undefined, value: unknown): string {
  if (!issue) return 'invalid record';
  const path = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined) return `missing field "${path}"`;
  const detail = issue.message.replace(/^Invalid input: /, '');
  return path === '' ? detail : `field "${path}": ${detail}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
