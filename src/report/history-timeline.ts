import type { Message, MessageEventType } from '../chat/message.js';
import type { InvariantId, Witness } from '../harness/checker/verdict.js';
import type { HistoryEvent, InvokeEvent } from '../history/event.js';
import { faultWindows, historyOrigin } from './fault-windows.js';

/**
 * A Jepsen-like timeline of one history, as data: one column per client plus `faults` and `database`, operations as
 * bars from invoke to completion, everything else as instants, all in ms since the history's first event.
 * timeline-layout.ts places it on a time scale; timeline-html.ts draws it.
 */
export interface Timeline {
  columns: TimelineColumn[];
  /** The history time (ms since the run started) that is 0 here: the first event's. */
  originMs: number;
  /** From the first to the last drawn event. */
  spanMs: number;
  items: TimelineItem[];
  /** Fault start..heal, for the shading across every column. */
  faultBands: { fromMs: number; toMs: number; label: string }[];
  /** Events drawn (meta aside), and those left out beyond the limit. */
  drawnEvents: number;
  omittedEvents: number;
}

export interface TimelineColumn {
  /** `client:<id>`, `faults` or `database` (prefixed so no client id can collide with the other two). */
  id: string;
  label: string;
  kind: 'client' | 'faults' | 'database';
}

export type TimelineTone =
  | 'ok'
  | 'fail'
  | 'info'
  | 'broadcast'
  | 'catchup'
  | 'open'
  | 'closed'
  | 'fault'
  | 'view'
  | 'snapshot';

export interface TimelineItem {
  column: string;
  /** A bar spans time (an operation, a fault); a point is an instant (a broadcast, a catch-up, a connection, a read). */
  shape: 'bar' | 'point';
  fromMs: number;
  toMs: number;
  tone: TimelineTone;
  /** Short text drawn in the box. */
  label: string;
  /** Second line for bars: the outcome (`ok 201`, `fail BROADCAST_FAILED`). */
  outcome?: string;
  /** Everything known about the event, one fact a line (a tooltip). */
  detail: string[];
  /** Invariants whose witnesses name this operation. */
  flagged: InvariantId[];
}

export interface TimelineOptions {
  /** Witnesses of the case's broken invariants: the operations they name are flagged. */
  witnesses?: { id: InvariantId; witnesses: Witness[] }[];
  /** Events drawn at most (a shrunk counterexample is short; a whole run may not be). Default 400. */
  maxEvents?: number;
}

const TEXT_PREVIEW = 28;
/** Messages listed at most in one tooltip (a final read of a busy run holds hundreds). */
const DETAIL_MESSAGES = 12;

export function historyTimeline(history: HistoryEvent[], options: TimelineOptions = {}): Timeline {
  const meta = history.find((e) => e.type === 'meta');
  const all = history.filter((e) => e.type !== 'meta');
  const events = all.slice(0, options.maxEvents ?? 400);
  const origin = historyOrigin(events);
  const at = (time: number) => time - origin;
  const flags = flaggedOps(options.witnesses ?? []);

  const clientIds = unique([
    ...(meta?.type === 'meta' ? meta.topology.clients.map((c) => c.id) : []),
    ...events.flatMap((e) => ('process' in e ? [e.process] : [])),
  ]);
  const items: TimelineItem[] = [];
  const spanMs = events.reduce((last, e) => Math.max(last, 'time' in e ? at(e.time) : 0), 0);
  const openOps = new Map<number, InvokeEvent>();

  for (const event of events) {
    switch (event.type) {
      case 'invoke':
        openOps.set(event.op, event);
        break;
      case 'complete': {
        const invoke = openOps.get(event.op);
        openOps.delete(event.op);
        const outcome = [event.status, event.httpStatus ?? '', event.status === 'ok' ? '' : (event.error?.code ?? '')]
          .filter((part) => part !== '')
          .join(' ');
        items.push({
          column: clientColumn(event.process),
          shape: 'bar',
          fromMs: at(invoke?.time ?? event.time),
          toMs: at(event.time),
          tone: event.status,
          label: invoke ? operationLabel(invoke) : `op ${event.op}`,
          outcome,
          detail: [
            ...(invoke ? operationDetail(invoke) : [`op ${event.op} (its invoke is not in the history)`]),
            `completed at ${event.time} ms: ${outcome}`,
            ...(event.error ? [`error: ${event.error.code}: ${event.error.message}${event.error.outcome ? ` (${event.error.outcome})` : ''}`] : []),
            ...(event.message ? [`stored: ${messageLine(event.message)}`] : []),
          ],
          flagged: flags.get(event.op) ?? [],
        });
        break;
      }
      case 'broadcast':
        items.push(point(clientColumn(event.process), at(event.time), 'broadcast', broadcastLabel(event.event, event.message), [
          `${event.time} ms: received broadcast ${event.event}`,
          messageLine(event.message),
        ]));
        break;
      case 'catchup':
        items.push(point(clientColumn(event.process), at(event.time), 'catchup', `${event.reason} catch-up: ${event.changes.length} ${event.changes.length === 1 ? 'change' : 'changes'}`, [
          `${event.time} ms: read changes of ${event.roomId} after version ${event.after} (${event.reason})`,
          `latest version ${event.latestVersion}${event.hasMore ? ', more pages follow' : ''}`,
          ...messageLines(event.changes),
        ]));
        break;
      case 'connection': {
        const closed = event.state === 'closed';
        const why = [event.code, event.reason].filter((part) => part !== undefined && part !== '').join(' ');
        items.push(point(clientColumn(event.process), at(event.time), closed ? 'closed' : 'open', closed ? `disconnected${why ? ` ${why}` : ''}` : 'connected', [
          `${event.time} ms: WebSocket ${closed ? 'closed' : 'opened'}${why ? ` (${why})` : ''}`,
        ]));
        break;
      }
      case 'client-view': {
        const messages = event.rooms.flatMap((room) => room.messages);
        items.push(point(clientColumn(event.process), at(event.time), 'view', `final view: ${messages.length} ${messages.length === 1 ? 'message' : 'messages'}`, [
          `${event.time} ms: what the client shows at the end`,
          ...messageLines(messages),
        ]));
        break;
      }
      case 'db-snapshot':
        items.push(point('database', at(event.time), 'snapshot', `final read: ${event.messages.length} ${event.messages.length === 1 ? 'message' : 'messages'}`, [
          `${event.time} ms: every message document, read after all faults healed`,
          ...messageLines(event.messages),
        ]));
        break;
      case 'fault':
        break;
    }
  }
  for (const invoke of openOps.values()) {
    items.push({
      column: clientColumn(invoke.process),
      shape: 'bar',
      fromMs: at(invoke.time),
      toMs: spanMs,
      tone: 'info',
      label: operationLabel(invoke),
      outcome: 'no reply (info)',
      detail: [...operationDetail(invoke), 'no completion before the history ended: outcome unknown'],
      flagged: flags.get(invoke.op) ?? [],
    });
  }
  const faultBands = faultWindows(events, origin).map((w) => {
    items.push({
      column: 'faults',
      shape: 'bar',
      fromMs: w.fromMs,
      toMs: w.toMs,
      tone: 'fault',
      label: w.label,
      detail: [`${w.startedAt} ms: started ${w.label}`, w.healedAt === undefined ? 'not healed before the history ended' : `${w.healedAt} ms: healed`],
      flagged: [],
    });
    return { fromMs: w.fromMs, toMs: w.toMs, label: w.label };
  });

  const columns: TimelineColumn[] = [
    ...clientIds.map((id) => ({ id: clientColumn(id), label: id, kind: 'client' as const })),
    { id: 'faults', label: 'faults', kind: 'faults' },
    { id: 'database', label: 'database', kind: 'database' },
  ];
  return { columns, originMs: origin, spanMs, items, faultBands, drawnEvents: events.length, omittedEvents: all.length - events.length };
}

function clientColumn(process: string): string {
  return `client:${process}`;
}

function point(column: string, ms: number, tone: TimelineTone, label: string, detail: string[]): TimelineItem {
  return { column, shape: 'point', fromMs: ms, toMs: ms, tone, label, detail, flagged: [] };
}

function flaggedOps(witnesses: { id: InvariantId; witnesses: Witness[] }[]): Map<number, InvariantId[]> {
  const flags = new Map<number, InvariantId[]>();
  for (const { id, witnesses: list } of witnesses) {
    for (const op of list.flatMap((w) => w.ops ?? [])) {
      const ids = flags.get(op) ?? [];
      if (!ids.includes(id)) ids.push(id);
      flags.set(op, ids);
    }
  }
  return flags;
}

/** `send alice-2 "hello"`, `edit 6743…0002 "new text"`, `delete 6743…0002`. */
function operationLabel(invoke: InvokeEvent): string {
  const target = invoke.kind === 'send' ? (invoke.clientMsgId ?? '') : shortId(invoke.messageId ?? '');
  return [invoke.kind, target, invoke.text === undefined ? '' : quote(invoke.text)].filter((part) => part !== '').join(' ');
}

function operationDetail(invoke: InvokeEvent): string[] {
  return [
    `op ${invoke.op}: ${invoke.process} ${invoke.kind}s in ${invoke.roomId} at ${invoke.time} ms`,
    ...(invoke.clientMsgId ? [`clientMsgId ${invoke.clientMsgId}`] : []),
    ...(invoke.messageId ? [`message ${invoke.messageId}`] : []),
    ...(invoke.text !== undefined ? [`text ${JSON.stringify(invoke.text)}`] : []),
  ];
}

/** Seq first, the part that tells the boxes of a narrow column apart: `seq 2 “hello”`, `seq 2 edited “hi”`, `seq 2 deleted`. */
function broadcastLabel(event: MessageEventType, message: Message): string {
  if (event === 'message.deleted' || message.deletedAt) return `seq ${message.seq} deleted`;
  return `seq ${message.seq}${event === 'message.edited' ? ' edited' : ''} ${quote(message.text)}`;
}

function messageLine(message: Message): string {
  const state = message.deletedAt ? 'deleted' : message.editedAt ? 'edited' : 'created';
  return `${message.roomId} seq ${message.seq} v${message.version} ${message.clientMsgId} by ${message.senderId} (${state}) ${JSON.stringify(message.text)}`;
}

function messageLines(messages: Message[]): string[] {
  const more = messages.length - DETAIL_MESSAGES;
  return [...messages.slice(0, DETAIL_MESSAGES).map(messageLine), ...(more > 0 ? [`… and ${more} more (the history file has them all)`] : [])];
}

function quote(text: string): string {
  return `“${text.length > TEXT_PREVIEW ? `${text.slice(0, TEXT_PREVIEW - 1)}…` : text}”`;
}

/** ObjectIds are long; the first and last four characters tell them apart in a short history. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
