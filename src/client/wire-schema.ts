import { z } from 'zod';
import type { Message } from '../chat/message.js';

/**
 * The shapes of DESIGN.md §7 that the client reads from the server, checked at the boundary: a server under test
 * may be someone else's, so nothing it sends is trusted before it parses. Extra fields are allowed (the contract may
 * be extended), missing or mistyped ones are not.
 */
const isoOrNull = z.string().nullable();

export const messageSchema = z.object({
  id: z.string().min(1),
  roomId: z.string().min(1),
  senderId: z.string(),
  clientMsgId: z.string(),
  text: z.string(),
  seq: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  createdAt: z.string(),
  editedAt: isoOrNull,
  deletedAt: isoOrNull,
}) satisfies z.ZodType<Message>;

/** `{message}` of a 2xx send, edit or delete. */
export const messageBodySchema = z.object({ message: messageSchema });

/** `GET /rooms/:roomId/changes` → `{changes, latestVersion, hasMore}`. */
export const changesPageSchema = z.object({
  changes: z.array(messageSchema),
  latestVersion: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;

/** `{error:{code, message, outcome}}`; `outcome` is optional here so a 4xx without it still maps (every 4xx is not_applied). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().default(''),
    outcome: z.enum(['not_applied', 'unknown']).optional(),
  }),
});

const roomCursorSchema = z.object({
  roomId: z.string(),
  latestSeq: z.number().int().nonnegative(),
  latestVersion: z.number().int().nonnegative(),
});

/** Every frame the server may send on `/ws`. */
export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribed'), rooms: z.array(roomCursorSchema) }),
  z.object({ type: z.literal('heartbeat'), rooms: z.array(roomCursorSchema) }),
  z.object({ type: z.literal('error'), code: z.string(), roomId: z.string().optional(), message: z.string().optional() }),
  z.object({ type: z.literal('message.created'), message: messageSchema }),
  z.object({ type: z.literal('message.edited'), message: messageSchema }),
  z.object({ type: z.literal('message.deleted'), message: messageSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
