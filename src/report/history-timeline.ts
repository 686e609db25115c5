import type { Message } from '../chat/message.js';
import type { InvariantId, Witness } from '../harness/checker/verdict.js';
import type { HistoryEvent, InvokeEvent } from '../history/event.js';

/**
 * A Jepsen-like timeline of one history, as data: one column per client plus `faults` and `database`, one row per
 * event in history order (rows, not milliseconds, so bursts stay readable), operations as bars from invoke to
 * completion. timeline-html.ts draws it.
 */
export interface Timeline {
  columns: TimelineColumn[];
  /** The history time (ms since the run started) of each row. */
  rowTimes: number[];
  items: TimelineItem[];
  /** Fault start..heal, for the shading across every column. */
  faultBands: { fromRow: number; toRow: number; label: string }[];
  /** Events left out beyond the row limit. */
  omittedEvents: number;
}

export interface TimelineColumn {
  /** `client:<id>`, `faults` or `database` (prefixed so no client id can collide with the other two). */
  id: string;
  label: string;
  kind: 'client' | 'faults' | 'database';
  /** Lanes for bars (operations, faults), side by side where they overlap in time. */
  barLanes: number;
  /** Whether instant events (broadcasts, catch-ups, connections, reads) get a lane beside the bars. */
  hasPointLane: boolean;
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
  /** A bar lane index, or `point` for the column's lane of instant events. */
  lane: number | 'point';
  fromRow: number;
  toRow: number;
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
  /** Rows drawn at most (a shrunk counterexample is short; a whole run may not be). Default 400. */
  maxRows?: number;
}

const TEXT_PREVIEW = 28;

export function historyTimeline(history: HistoryEvent[], options: TimelineOptions = {}): Timeline {
  const meta = history.find((e) => e.type === 'meta');
  const all = history.filter((e) => e.type !== 'meta');
  const maxRows = options.maxRows ?? 400;
  const events = all.slice(0, maxRows);
  const flags = flaggedOps(options.witnesses ?? []);

  const clientIds = unique([
    ...(meta?.type === 'meta' ? meta.topology.clients.map((c) => c.id) : []),
    ...events.flatMap((e) => ('process' in e ? [e.process] : [])),
  ]);
  const items: TimelineItem[] = [];
  const faultBands: Timeline['faultBands'] = [];
  const lastRow = Math.max(0, events.length - 1);
  const openOps = new Map<number, { row: number; invoke: InvokeEvent }>();
  const openFaults = new Map<string, { row: number; label: string; detail: string[] }>();

  events.forEach((event, row) => {
    switch (event.type) {
      case 'invoke':
        openOps.set(event.op, { row, invoke: event });
        break;
      case 'complete': {
        const open = openOps.get(event.op);
        openOps.delete(event.op);
        const invoke = open?.invoke;
        const outcome = [event.status, event.httpStatus ?? '', event.status === 'ok' ? '' : (event.error?.code ?? '')]
          .filter((part) => part !== '')
          .join(' ');
        items.push({
          column: clientColumn(event.process),
          lane: 0,
          fromRow: open?.row ?? row,
          toRow: row,
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
        items.push(point(clientColumn(event.process), row, 'broadcast', `${event.event.replace('message.', '')} ${messageBrief(event.message)}`, [
          `${event.time} ms: received broadcast ${event.event}`,
          messageLine(event.message),
        ]));
        break;
      case 'catchup':
        items.push(point(clientColumn(event.process), row, 'catchup', `catch-up (${event.reason}): ${event.changes.length} ${event.changes.length === 1 ? 'change' : 'changes'}`, [
          `${event.time} ms: read changes of ${event.roomId} after version ${event.after} (${event.reason})`,
          `latest version ${event.latestVersion}${event.hasMore ? ', more pages follow' : ''}`,
          ...event.changes.map(messageLine),
        ]));
        break;
      case 'connection': {
        const closed = event.state === 'closed';
        const why = [event.code, event.reason].filter((part) => part !== undefined && part !== '').join(' ');
        items.push(point(clientColumn(event.process), row, closed ? 'closed' : 'open', closed ? `disconnected${why ? ` ${why}` : ''}` : 'connected', [
          `${event.time} ms: WebSocket ${closed ? 'closed' : 'opened'}${why ? ` (${why})` : ''}`,
        ]));
        break;
      }
      case 'client-view': {
        const count = event.rooms.reduce((sum, room) => sum + room.messages.length, 0);
        items.push(point(clientColumn(event.process), row, 'view', `final view: ${count} ${count === 1 ? 'message' : 'messages'}`, [
          `${event.time} ms: what the client shows at the end`,
          ...event.rooms.flatMap((room) => room.messages.map(messageLine)),
        ]));
        break;
      }
      case 'db-snapshot':
        items.push(point('database', row, 'snapshot', `final read: ${event.messages.length} ${event.messages.length === 1 ? 'message' : 'messages'}`, [
          `${event.time} ms: every message document, read after all faults healed`,
          ...event.messages.map(messageLine),
        ]));
        break;
      case 'fault': {
        const key = `${event.fault}\u0000${event.target ?? ''}`;
        if (event.phase === 'start') {
          const label = faultLabel(event.fault, event.target, event.params);
          openFaults.set(key, { row, label, detail: [`${event.time} ms: started ${label}`] });
        } else {
          const open = openFaults.get(key);
          openFaults.delete(key);
          const label = open?.label ?? faultLabel(event.fault, event.target, event.params);
          pushFault(open?.row ?? row, row, label, [...(open?.detail ?? []), `${event.time} ms: healed`]);
        }
        break;
      }
    }
  });
  for (const { row, invoke } of openOps.values()) {
    items.push({
      column: clientColumn(invoke.process),
      lane: 0,
      fromRow: row,
      toRow: lastRow,
      tone: 'info',
      label: operationLabel(invoke),
      outcome: 'no reply (info)',
      detail: [...operationDetail(invoke), 'no completion before the history ended: outcome unknown'],
      flagged: flags.get(invoke.op) ?? [],
    });
  }
  for (const open of openFaults.values()) pushFault(open.row, lastRow, open.label, [...open.detail, 'not healed before the history ended']);

  const columns: TimelineColumn[] = [
    ...clientIds.map((id) => ({ id: clientColumn(id), label: id, kind: 'client' as const, barLanes: 0, hasPointLane: false })),
    { id: 'faults', label: 'faults', kind: 'faults', barLanes: 0, hasPointLane: false },
    { id: 'database', label: 'database', kind: 'database', barLanes: 0, hasPointLane: false },
  ];
  for (const column of columns) column.barLanes = assignLanes(items.filter((i) => i.column === column.id && i.lane !== 'point'));
  columns.forEach((column) => {
    column.hasPointLane = items.some((i) => i.column === column.id && i.lane === 'point');
  });
  return { columns, rowTimes: events.map((e) => ('time' in e ? e.time : 0)), items, faultBands, omittedEvents: all.length - events.length };

  function pushFault(fromRow: number, toRow: number, label: string, detail: string[]): void {
    items.push({ column: 'faults', lane: 0, fromRow, toRow, tone: 'fault', label, detail, flagged: [] });
    faultBands.push({ fromRow, toRow, label });
  }
}

/** Greedy interval colouring: a bar goes to the first lane free at its start. Returns the lanes used (0 if none). */
function assignLanes(bars: TimelineItem[]): number {
  const laneEnds: number[] = [];
  for (const bar of [...bars].sort((a, b) => a.fromRow - b.fromRow)) {
    let lane = laneEnds.findIndex((end) => end < bar.fromRow);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = bar.toRow;
    bar.lane = lane;
  }
  return laneEnds.length;
}

function clientColumn(process: string): string {
  return `client:${process}`;
}

function point(column: string, row: number, tone: TimelineTone, label: string, detail: string[]): TimelineItem {
  return { column, lane: 'point', fromRow: row, toRow: row, tone, label, detail, flagged: [] };
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

function faultLabel(fault: string, target: string | undefined, params: Record<string, unknown> | undefined): string {
  const on = target ? ` on ${target}` : '';
  const with_ = params && Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : '';
  return `${fault}${on}${with_}`;
}

/** `seq 2 "hello"` (or `seq 2 deleted`). */
function messageBrief(message: Message): string {
  return `seq ${message.seq} ${message.deletedAt ? 'deleted' : quote(message.text)}`;
}

function messageLine(message: Message): string {
  const state = message.deletedAt ? 'deleted' : message.editedAt ? 'edited' : 'created';
  return `${message.roomId} seq ${message.seq} v${message.version} ${message.clientMsgId} by ${message.senderId} (${state}) ${JSON.stringify(message.text)}`;
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
