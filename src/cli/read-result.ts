import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FORMAT_VERSION, type RunResult } from '../harness/result/result-model.js';
import { UsageError } from './exit-code.js';

/** The result.json of a report directory, or a UsageError that says what is wrong with it. */
export async function readResult(dir: string): Promise<RunResult> {
  const file = join(dir, 'result.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: not found; give the report directory that run or compare wrote`);
  }
  let result: RunResult;
  try {
    result = JSON.parse(text) as RunResult;
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (result.formatVersion !== RESULT_FORMAT_VERSION || !Array.isArray(result.cases)) {
    throw new UsageError(`${file}: not an ackproof result of format ${RESULT_FORMAT_VERSION} (written by another version of ackproof?)`);
  }
  return result;
}
