import type { LatencySummary, Measures } from './measures.js';
import { emptyIndex, memberClients, messageKey, type HistoryIndex, type Receipt } from './history-index.js';

/**
 * The measures beside the verdicts (measures.ts), from the same index:
 * - ack latency: complete.time - invoke.time of every ok operation;
 * - live delivery: over (acknowledged message x member client of its room in the topology, other than the client
 *   that sent it: it holds the message from its own acknowledgment) pairs, the share where the client got any
 *   broadcast of that message (matched by id or by (roomId, clientMsgId));
 * - broadcast latency: from the invoke of the send that was acknowledged to each member's first broadcast of it
 *   (end to end: the broadcast usually beats the HTTP acknowledgment, so measured from the ack it would read 0);
 * - stable latency: from that invoke until the last member first held the message by any path;
 * - deliveries: the FIRST way each pair's client got the message: broadcast, catch-up for a gap (gapFill), on
 *   reconnect, in the final catch-up, or never;
 * - catch-up work: pages read and messages they carried.
 */
export function measure(index: HistoryIndex): Measures {
  const ops: Measures['ops'] = {
    send: { ok: 0, fail: 0, info: 0 },
    edit: { ok: 0, fail: 0, info: 0 },
    delete: { ok: 0, fail: 0, info: 0 },
  };
  const ackLatencies: number[] = [];
  for (const operation of index.operations) {
    ops[operation.kind][operation.status]++;
    if (operation.status === 'ok' && operation.complete) ackLatencies.push(operation.complete.time - operation.invoke.time);
  }
  const firstReceipt = firstReceipts(index.receipts);
  const deliveries: Measures['deliveries'] = { broadcast: 0, gapFill: 0, reconnect: 0, final: 0, never: 0 };
  const broadcastLatencies: number[] = [];
  const stableLatencies: number[] = [];
  let pairs = 0;
  let live = 0;
  const nodeOf = new Map((index.meta?.topology.clients ?? []).flatMap((c) => (c.node === undefined ? [] : [[c.id, c.node] as const])));
  const byNode: Record<string, { pairs: number; live: number }> = {};
  const crossNode = { pairs: 0, live: 0 };
  for (const message of index.acknowledged) {
    const senders = new Set(message.ops.map((operation) => operation.process));
    // The time the last member first held it; undefined once a member never did.
    let stable: number | undefined = message.sentTime;
    for (const client of memberClients(index, message.roomId)) {
      if (senders.has(client)) continue;
      pairs++;
      const byKey = firstReceipt.get(`${client}\u0000key\u0000${message.key}`);
      const byId = message.messageId ? firstReceipt.get(`${client}\u0000id\u0000${message.messageId}`) : undefined;
      const first = earliest(byKey?.first, byId?.first);
      const broadcast = earliest(byKey?.broadcast, byId?.broadcast);
      if (broadcast) {
        live++;
        broadcastLatencies.push(broadcast.time - message.sentTime);
      }
      const node = nodeOf.get(client);
      if (node !== undefined) {
        const slot = (byNode[`n${node}`] ??= { pairs: 0, live: 0 });
        slot.pairs++;
        if (broadcast) slot.live++;
        const senderNodes = [...senders].map((s) => nodeOf.get(s));
        if (senderNodes.length > 0 && senderNodes.every((n) => n !== undefined && n !== node)) {
          crossNode.pairs++;
          if (broadcast) crossNode.live++;
        }
      }
      stable = first && stable !== undefined ? Math.max(stable, first.time) : undefined;
      if (!first) deliveries.never++;
      else if (first.via === 'broadcast') deliveries.broadcast++;
      else if (first.via === 'gap') deliveries.gapFill++;
      else deliveries[first.via]++;
    }
    if (stable !== undefined && stable > message.sentTime) stableLatencies.push(stable - message.sentTime);
  }
  return {
    clients: index.clientUser.size,
    ops,
    acknowledged: index.acknowledged.length,
    ackLatencyMs: summarizeLatencies(ackLatencies),
    liveDeliveryRate: pairs === 0 ? null : live / pairs,
    broadcastLatencyMs: summarizeLatencies(broadcastLatencies),
    stableLatencyMs: summarizeLatencies(stableLatencies),
    deliveries,
    ...(nodeOf.size > 0 && new Set(nodeOf.values()).size > 1 ? { nodes: { byNode, crossNode } } : {}),
    catchup: {
      reads: index.catchups.length,
      changesFetched: index.catchups.reduce((sum, catchup) => sum + catchup.changes.length, 0),
    },
  };
}

/** Per (client, message id) and (client, message key): the first receipt of any kind and the first broadcast. */
function firstReceipts(receipts: readonly Receipt[]): Map<string, { first: Receipt; broadcast?: Receipt }> {
  const firsts = new Map<string, { first: Receipt; broadcast?: Receipt }>();
  for (const receipt of receipts) {
    const { message } = receipt;
    for (const slot of [`id\u0000${message.id}`, `key\u0000${messageKey(message.roomId, message.senderId, message.clientMsgId)}`]) {
      const group = `${receipt.process}\u0000${slot}`;
      const known = firsts.get(group) ?? { first: receipt };
      if (receipt.via === 'broadcast') known.broadcast ??= receipt;
      firsts.set(group, known);
    }
  }
  return firsts;
}

function earliest(a: Receipt | undefined, b: Receipt | undefined): Receipt | undefined {
  if (!a || !b) return a ?? b;
  return b.time < a.time ? b : a;
}

/** Nearest-rank percentiles, to the microsecond (the clock's resolution). */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, min: null, p50: null, p95: null, p99: null, max: null };
  const sorted = values.map((value) => Math.round(value * 1000) / 1000).sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  // Maelstrom's quantiles 0, .5, .95, .99 and 1.
  return { count: sorted.length, min: sorted[0] ?? null, p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: sorted[sorted.length - 1] ?? null };
}

/** The measures of an empty (or unreadable) history. */
export function emptyMeasures(): Measures {
  return measure(emptyIndex());
}
