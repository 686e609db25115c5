/** A history that does not follow the format of event.ts: names the line (1-based) and why. */
export class HistoryFormatError extends Error {
  readonly code = 'HISTORY_MALFORMED';

  constructor(
    readonly line: number,
    readonly reason: string,
    /** The file the history came from, when it came from one. */
    readonly source?: string,
  ) {
    super(`${source ?? 'history'} line ${line}: ${reason}`);
    this.name = 'HistoryFormatError';
  }
}
