import type { HistoryEvent } from '../../history/event.js';
import type { RunWorld } from '../generator/run-world.js';

/** The live system one case (a scenario against a pattern) runs on: a server, its database, the nemesis. */
export interface CaseTarget {
  /**
   * Fresh rooms and clients for one property run, connected and caught up, with `always` faults started. Once
   * `signal` is aborted the run stops at its next step and `finish` only closes its clients.
   */
  beginRun(runIndex: number, meta: { seed: number; path?: string; signal?: AbortSignal }): Promise<LiveRun>;
  /** Stops everything the target started; safe to call again (or while a run is under way, to end it). */
  close(): Promise<void>;
}

/** One property run: the world the commands act on, then the end of the run. */
export interface LiveRun extends RunWorld {
  /** Heal every fault, reconnect and catch up every client, read the database: the run's complete history. */
  finish(): Promise<HistoryEvent[]>;
}
