import type { HistoryEvent } from '../history/event.js';
import { HistoryFormatError } from '../history/history-format-error.js';
import { readHistory } from '../history/read-history.js';
import { UsageError } from './exit-code.js';

/** A history file named on the command line; a missing or malformed one is a usage error (exit 3) naming why. */
export async function readHistoryArg(file: string): Promise<HistoryEvent[]> {
  try {
    return await readHistory(file);
  } catch (error) {
    if (error instanceof HistoryFormatError) throw new UsageError(`malformed history: ${error.message}`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    throw error;
  }
}
