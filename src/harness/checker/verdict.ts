/** The invariants of DESIGN.md §3, one checker file each. */
export const INVARIANTS = {
  I1: 'durability',
  I2: 'recoverability',
  I3: 'no phantom',
  I4: 'honest acks',
  I5: 'no duplicates',
  I6: 'order',
  I7: 'convergence',
  I8: 'isolation',
} as const;

export type InvariantId = keyof typeof INVARIANTS;

/**
 * One piece of evidence against an invariant, in Jepsen's words where they fit: `lost` (acknowledged, not in the
 * database), `unrecovered`, `phantom` / `unexpected`, `lie` (reported failed, persisted), `duplicated`,
 * `out-of-order`, `stale` (a client's final state differs from the database), `leaked` (crossed a room boundary).
 */
export interface Witness {
  kind: string;
  /** One sentence a person can read. */
  description: string;
  roomId?: string;
  messageId?: string;
  clientMsgId?: string;
  /** Client ids involved. */
  processes?: string[];
  /** Operation ids (`InvokeEvent.op`) involved. */
  ops?: number[];
}

export type Verdict =
  /** `notPromised`: the system under test does not promise it, and it did not hold (the evidence, kept). */
  | { valid: true; summary: string; notPromised?: { reason: string; witnesses: Witness[] } }
  | { valid: false; summary: string; witnesses: Witness[] }
  | { valid: 'unknown'; summary: string; error: string };

export type Validity = Verdict['valid'];

/** false beats unknown beats true. */
export function mergeValidity(values: Iterable<Validity>): Validity {
  let result: Validity = true;
  for (const value of values) {
    if (value === false) return false;
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}
