import type { HistoryEvent, InvokeEvent, MetaEvent } from './event.js';
import { HistoryFormatError } from './history-format-error.js';

/**
 * The rules that span lines (each line is already schema-valid): the meta record first and once; op ids unique;
 * every complete after the invoke of its op, by the same process, once; the fields each op kind needs; processes
 * named in the topology; time never going backwards; one db-snapshot, one client-view per process.
 * Fed one event at a time so a streaming reader and an in-memory list share it.
 */
export class HistorySequenceValidator {
  private meta: { event: MetaEvent; line: number } | undefined;
  private clients = new Set<string>();
  private readonly invokes = new Map<number, { event: InvokeEvent; line: number }>();
  private readonly completes = new Map<number, number>();
  private readonly views = new Map<string, number>();
  private snapshotLine: number | undefined;
  private lastTime = 0;

  constructor(private readonly source?: string) {}

  accept(event: HistoryEvent, line: number): void {
    const reject = (reason: string): never => {
      throw new HistoryFormatError(line, reason, this.source);
    };
    if (this.meta === undefined) {
      if (event.type !== 'meta') reject(`the first record must be "meta", got "${event.type}"`);
    } else if (event.type === 'meta') {
      reject(`a second "meta" record (the first is on line ${this.meta.line})`);
    }
    if (event.type === 'meta') {
      this.meta = { event, line };
      this.clients = new Set(event.topology.clients.map((client) => client.id));
      return;
    }
    if (event.time < this.lastTime) reject(`time ${event.time} is earlier than the previous record's ${this.lastTime}`);
    this.lastTime = event.time;
    if ('process' in event && !this.clients.has(event.process)) {
      reject(`unknown process "${event.process}" (not a client of the meta record's topology)`);
    }
    switch (event.type) {
      case 'invoke': {
        const first = this.invokes.get(event.op);
        if (first) reject(`op ${event.op} invoked twice (first on line ${first.line})`);
        const missing = missingOpField(event);
        if (missing) reject(`${event.kind} invoke of op ${event.op} without "${missing}"`);
        this.invokes.set(event.op, { event, line });
        return;
      }
      case 'complete': {
        const invoke = this.invokes.get(event.op);
        if (!invoke) reject(`complete of op ${event.op} without an earlier invoke`);
        const first = this.completes.get(event.op);
        if (first !== undefined) reject(`op ${event.op} completed twice (first on line ${first})`);
        if (invoke && invoke.event.process !== event.process) {
          reject(`complete of op ${event.op} by "${event.process}", but "${invoke.event.process}" invoked it`);
        }
        this.completes.set(event.op, line);
        return;
      }
      case 'client-view': {
        const first = this.views.get(event.process);
        if (first !== undefined) reject(`a second client-view of "${event.process}" (the first is on line ${first})`);
        this.views.set(event.process, line);
        return;
      }
      case 'db-snapshot':
        if (this.snapshotLine !== undefined) reject(`a second db-snapshot (the first is on line ${this.snapshotLine})`);
        this.snapshotLine = line;
        return;
      default:
        return;
    }
  }

  /** After the last record: a history must at least have its meta record. */
  finish(lastLine: number): void {
    if (this.meta === undefined) throw new HistoryFormatError(lastLine, 'empty history (no "meta" record)', this.source);
  }
}

/** send needs its idempotency key and text, edit its target and text, delete its target. */
function missingOpField(event: InvokeEvent): string | undefined {
  const needed: (keyof InvokeEvent)[] =
    event.kind === 'send' ? ['clientMsgId', 'text'] : event.kind === 'edit' ? ['messageId', 'text'] : ['messageId'];
  return needed.find((field) => event[field] === undefined);
}

/** Validates an in-memory history (line numbers count records from 1); throws HistoryFormatError. */
export function validateHistory(history: readonly HistoryEvent[]): void {
  const validator = new HistorySequenceValidator();
  history.forEach((event, index) => validator.accept(event, index + 1));
  validator.finish(history.length);
}
