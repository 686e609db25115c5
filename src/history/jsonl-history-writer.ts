import { createWriteStream, type WriteStream } from 'node:fs';
import type { HistoryEvent } from './event.js';

/** One record as one JSONL line (no newline inside: JSON.stringify escapes them). */
export function toHistoryLine(event: HistoryEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/**
 * Streams history records to a `*.jsonl` file as they happen, so a run that dies midway still leaves the history
 * up to that point. `close()` flushes and resolves once the file is complete; a write error (bad directory, full
 * disk) surfaces there, and on any append after it.
 */
export class JsonlHistoryWriter {
  private readonly stream: WriteStream;
  private error: Error | undefined;
  private closed = false;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
    this.stream.on('error', (error) => {
      this.error ??= error;
    });
  }

  append(event: HistoryEvent): void {
    if (this.error) throw this.error;
    if (this.closed) throw new Error(`history writer for ${this.path} is closed`);
    this.stream.write(toHistoryLine(event));
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await new Promise<void>((resolve) => {
        if (this.stream.closed) resolve();
        else this.stream.once('close', () => resolve()).end();
      });
    }
    if (this.error) throw this.error;
  }
}

/** Writes a whole history at once. */
export async function writeHistory(path: string, history: readonly HistoryEvent[]): Promise<void> {
  const writer = new JsonlHistoryWriter(path);
  try {
    for (const event of history) writer.append(event);
  } finally {
    await writer.close();
  }
}
