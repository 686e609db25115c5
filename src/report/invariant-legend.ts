import { INVARIANTS, type InvariantId } from '../harness/checker/verdict.js';

/** The invariants in id order (I1..I9). */
export const INVARIANT_IDS = Object.keys(INVARIANTS) as InvariantId[];

/** One sentence per invariant for readers who have not read DESIGN.md (the legend of every report). */
export const INVARIANT_SENTENCES: Record<InvariantId, string> = {
  I1: 'Every send, edit and delete the server acknowledged is reflected in the database read at the end.',
  I2: 'After a final reconnect and catch-up, every member holds every acknowledged message of its rooms.',
  I3: 'No client received a broadcast of something the final database does not contain.',
  I4: 'Nothing the server reported as failed to its sender was persisted (an unknown outcome may go either way).',
  I5: 'One document per (room, clientMsgId), and no client shows a message twice after catch-up.',
  I6: 'In each room seq is unique, and every client sees the room in seq order.',
  I7: "Each client's final view of a room equals the database's, edits and deletes applied.",
  I8: 'No client received anything from a room it does not belong to.',
  I9: 'A client the system told its recovery was complete (recovered: true) holds every message acknowledged while it was away.',
};

/** `I4 honest acks`. */
export function invariantLabel(id: InvariantId): string {
  return `${id} ${INVARIANTS[id]}`;
}
