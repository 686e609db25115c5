import { join } from 'node:path';
import type { HistoryEvent } from '../history/event.js';
import { readHistory } from '../history/read-history.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';

/** A case's first run as report.html draws it, or why it cannot. */
export type RunHistory = { file: string; events: HistoryEvent[] } | { file?: string; unavailable: string };

/**
 * The history file of a case's first run, relative to the report dir: `runHistoryFiles[0]`, or, in results
 * written before that field, `historyFile` when it is not the counterexample's (then it is run 1's).
 */
export function firstRunHistoryFile(c: CaseResult): string | undefined {
  return c.runHistoryFiles?.[0] ?? (c.counterexample === undefined ? c.historyFile : undefined);
}

/**
 * Reads the first run's history of every case that ran, from the report dir (where the runner wrote it, and
 * where `merge` copies every shard's), keyed by case id. The histories stay out of result.json, which keeps its
 * size; a file that is gone or unreadable is reported as such, and the report says so in its place.
 */
export async function readFirstRunHistories(dir: string, result: RunResult): Promise<Map<string, RunHistory>> {
  const entries = await Promise.all(
    result.cases
      .filter((c) => !c.skipped)
      .map(async (c): Promise<[string, RunHistory]> => {
        const file = firstRunHistoryFile(c);
        if (file === undefined) {
          const why = c.runHistoryFiles === undefined && c.counterexample !== undefined ? 'this result.json does not list its runs’ histories (written before runHistoryFiles)' : 'no run of it was recorded';
          return [c.id, { unavailable: why }];
        }
        try {
          return [c.id, { file, events: await readHistory(join(dir, file)) }];
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          return [c.id, { file, unavailable: code === 'ENOENT' ? `${file} is not in the report directory` : `${file} could not be read: ${(error as Error).message}` }];
        }
      }),
  );
  return new Map(entries);
}
