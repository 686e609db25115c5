/** Numbers measured beside the verdicts (DESIGN.md §3). Latencies in milliseconds; rates in [0, 1]. */
export interface Measures {
  clients: number;
  ops: Record<'send' | 'edit' | 'delete', { ok: number; fail: number; info: number }>;
  /** Distinct messages whose send was acknowledged. */
  acknowledged: number;
  ackLatencyMs: LatencySummary;
  /**
   * Share of (acknowledged message x member client other than its sender) pairs where the client got the message
   * by live broadcast, without any catch-up read. null when nothing was acknowledged.
   */
  liveDeliveryRate: number | null;
  /** From the (acknowledged) send's invoke to each member's first live broadcast of it: end-to-end delivery. */
  broadcastLatencyMs: LatencySummary;
  /**
   * Stable latency (Maelstrom's): from the (acknowledged) send's invoke until the last member other than the sender
   * first holds the message by any path (broadcast or catch-up). Messages some member never got are left out (they
   * are `deliveries.never`). Absent in results written before it was measured.
   */
  stableLatencyMs?: LatencySummary;
  /** How each (acknowledged message x member) pair first reached the member. */
  deliveries: { broadcast: number; gapFill: number; reconnect: number; final: number; never: number };
  /**
   * Several nodes (the history says which node each client is on): live delivery per receiving node, and over the
   * pairs whose sender and member are on different nodes (what only a fan-out between nodes can deliver live).
   */
  nodes?: { byNode: Record<string, { pairs: number; live: number }>; crossNode: { pairs: number; live: number } };
  /** Catch-up work: pages read and messages fetched. */
  catchup: { reads: number; changesFetched: number };
}

export interface LatencySummary {
  count: number;
  /** Absent in results written before it was measured. */
  min?: number | null;
  p50: number | null;
  /** Absent in results written before it was measured. */
  p95?: number | null;
  p99: number | null;
  max: number | null;
}
