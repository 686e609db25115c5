import type { HistoryEvent } from '../history/event.js';

/** One fault from its start to its heal, in ms since the history's origin (see historyOrigin). */
export interface FaultWindow {
  /** `broadcast.throw on server {"count":1}`. */
  label: string;
  fromMs: number;
  toMs: number;
  /** Whether the history recorded its heal (else it runs to the last event). */
  healed: boolean;
  /** Times as the history has them (ms since the run started), for tooltips. */
  startedAt: number;
  healedAt?: number;
}

/**
 * Where the drawings of a history put their zero: its first event's time, so a timeline and a chart of the same
 * run agree on every instant (and a run that starts at 3 ms does not open with an empty strip).
 */
export function historyOrigin(history: readonly HistoryEvent[]): number {
  const first = history.find((e) => e.type !== 'meta');
  return first !== undefined && 'time' in first ? first.time : 0;
}

/**
 * Pairs each fault's start with its heal (by fault and target), in start order. A fault never healed runs to the
 * history's last event; a heal without its start (cut off before it) starts at the first event.
 */
export function faultWindows(history: readonly HistoryEvent[], origin = historyOrigin(history)): FaultWindow[] {
  const events = history.filter((e) => e.type !== 'meta');
  const lastMs = events.reduce((last, e) => Math.max(last, 'time' in e ? e.time - origin : 0), 0);
  const open = new Map<string, { label: string; time: number }>();
  const windows: FaultWindow[] = [];
  for (const event of events) {
    if (event.type !== 'fault') continue;
    const key = `${event.fault}\u0000${event.target ?? ''}`;
    if (event.phase === 'start') {
      open.set(key, { label: faultLabel(event.fault, event.target, event.params), time: event.time });
      continue;
    }
    const started = open.get(key);
    open.delete(key);
    const startedAt = started?.time ?? origin;
    windows.push({
      label: started?.label ?? faultLabel(event.fault, event.target, event.params),
      fromMs: startedAt - origin,
      toMs: event.time - origin,
      healed: true,
      startedAt,
      healedAt: event.time,
    });
  }
  for (const started of open.values()) {
    windows.push({ label: started.label, fromMs: started.time - origin, toMs: lastMs, healed: false, startedAt: started.time });
  }
  return windows.sort((a, b) => a.fromMs - b.fromMs);
}

function faultLabel(fault: string, target: string | undefined, params: Record<string, unknown> | undefined): string {
  const on = target ? ` on ${target}` : '';
  const with_ = params && Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : '';
  return `${fault}${on}${with_}`;
}
