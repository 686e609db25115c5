import type { CompleteEvent, FaultEvent, HistoryEvent, InvokeEvent } from '../../history/event.js';

/**
 * What a case's verdict rests on: how much of what its scenario is about actually happened over its runs. A PASS
 * over runs in which no fault met a write proves little; the basis says so in numbers.
 */
export interface Basis {
  /** Property runs the basis covers. */
  runs: number;
  /** Generated commands that ran (fast-check skips a heal of a fault not in force, and the like). */
  commands: { total: number; perRun: Spread };
  /** Writes (send, edit, delete operations; a client's retry is a write of its own). */
  writes: number;
  /** How the writes ended: ok (acknowledged), fail (not applied), info (unknown; an op never completed counts here). */
  outcomes: { ok: number; fail: number; info: number };
  /**
   * Per fault name: windows opened (`start` records), and writes whose invoke..complete overlapped one of its open
   * windows (a window still open at the end of a run lasts to its end).
   */
  faults: Record<string, { opened: number; writesHit: number }>;
  /** Writes that overlapped an open window of any fault (each counted once). */
  faultedWrites: number;
  /** Writes whose invoke..complete overlapped another write's. */
  concurrentWrites: number;
}

export interface Spread {
  min: number;
  mean: number;
  max: number;
}

/** One run as the basis reads it: its history, and how many commands ran (the history does not record commands). */
export interface BasisRun {
  history: readonly HistoryEvent[];
  commands: number;
}

interface Interval {
  start: number;
  end: number;
}

/** The basis of a case from its runs: pure, every run's history read on its own clock. */
export function basisOf(runs: readonly BasisRun[]): Basis {
  const commandCounts = runs.map((run) => run.commands);
  const basis: Basis = {
    runs: runs.length,
    commands: { total: sum(commandCounts), perRun: spread(commandCounts) },
    writes: 0,
    outcomes: { ok: 0, fail: 0, info: 0 },
    faults: {},
    faultedWrites: 0,
    concurrentWrites: 0,
  };
  for (const run of runs) addRun(basis, run.history);
  return basis;
}

function addRun(basis: Basis, history: readonly HistoryEvent[]): void {
  const end = history.reduce((latest, event) => ('time' in event ? Math.max(latest, event.time) : latest), 0);
  const writes = writesOf(history, end);
  basis.writes += writes.length;
  for (const write of writes) basis.outcomes[write.status]++;
  const windows = faultWindows(history, end);
  const faulted = new Set<Interval>();
  for (const [name, list] of windows) {
    const entry = (basis.faults[name] ??= { opened: 0, writesHit: 0 });
    entry.opened += list.length;
    for (const write of writes) {
      if (list.some((window) => overlaps(write, window))) {
        entry.writesHit++;
        faulted.add(write);
      }
    }
  }
  basis.faultedWrites += faulted.size;
  basis.concurrentWrites += countOverlapping(writes);
}

/** Every write's interval and outcome; one never completed lasts to the end of the run and counts as `info`. */
function writesOf(history: readonly HistoryEvent[], end: number): (Interval & { status: CompleteEvent['status'] })[] {
  const completes = new Map<number, CompleteEvent>();
  for (const event of history) if (event.type === 'complete') completes.set(event.op, event);
  return history
    .filter((event): event is InvokeEvent => event.type === 'invoke')
    .map((invoke) => {
      const complete = completes.get(invoke.op);
      return { start: invoke.time, end: complete?.time ?? end, status: complete?.status ?? 'info' };
    });
}

/** Per fault name, its windows: each `start` to the next `heal` of the same fault and target, or the run's end. */
function faultWindows(history: readonly HistoryEvent[], end: number): Map<string, Interval[]> {
  const windows = new Map<string, Interval[]>();
  const open = new Map<string, Interval>();
  for (const event of history) {
    if (event.type !== 'fault') continue;
    const key = faultTargetKey(event);
    if (event.phase === 'start') {
      if (open.has(key)) continue;
      const window = { start: event.time, end };
      open.set(key, window);
      windows.set(event.fault, [...(windows.get(event.fault) ?? []), window]);
    } else {
      const window = open.get(key);
      if (window) window.end = event.time;
      open.delete(key);
    }
  }
  return windows;
}

function faultTargetKey(event: FaultEvent): string {
  return `${event.fault}\u0000${event.target ?? ''}`;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * How many intervals overlap another. Sorted by start, interval j overlaps an earlier one iff the earlier ends
 * reach past its start, and a later one iff the next one starts before it ends.
 */
function countOverlapping(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  let count = 0;
  let reach = Number.NEGATIVE_INFINITY;
  sorted.forEach((interval, j) => {
    const next = sorted[j + 1];
    if (reach > interval.start || (next !== undefined && next.start < interval.end)) count++;
    reach = Math.max(reach, interval.end);
  });
  return count;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: 0, mean: 0, max: 0 };
  return { min: Math.min(...values), mean: Math.round((sum(values) / values.length) * 10) / 10, max: Math.max(...values) };
}
