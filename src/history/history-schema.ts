import { z } from 'zod';
import type { Message } from '../chat/message.js';
import { HISTORY_FORMAT_VERSION, type HistoryEvent } from './event.js';

/**
 * The zod schema of one history line (event.ts is the contract; this validates it at the JSONL boundary).
 * The compile-time assertions at the bottom fail the type-check whenever the two drift apart.
 */

const isoTime = z.string();
const nonNegativeInt = z.number().int().nonnegative();

export const messageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  senderId: z.string(),
  clientMsgId: z.string(),
  text: z.string(),
  seq: nonNegativeInt,
  version: nonNegativeInt,
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
});

const time = z.number().nonnegative();
const process = z.string().min(1);

export const metaEventSchema = z.object({
  type: z.literal('meta'),
  formatVersion: z.literal(HISTORY_FORMAT_VERSION, {
    error: `unsupported history format version (this ackproof reads version ${HISTORY_FORMAT_VERSION})`,
  }),
  scenario: z.string(),
  pattern: z.string(),
  target: z.string().optional(),
  seed: z.number(),
  path: z.string().optional(),
  startedAt: z.string(),
  database: z.object({ kind: z.string(), version: z.string(), writeConcern: z.string() }),
  topology: z.object({
    rooms: z.array(z.object({ id: z.string(), members: z.array(z.string()) })),
    clients: z.array(z.object({ id: z.string(), userId: z.string(), node: z.number().int().min(0).optional() })),
  }),
});

export const invokeEventSchema = z.object({
  type: z.literal('invoke'),
  time,
  process,
  op: nonNegativeInt,
  kind: z.enum(['send', 'edit', 'delete']),
  roomId: z.string(),
  clientMsgId: z.string().optional(),
  messageId: z.string().optional(),
  text: z.string().optional(),
});

export const completeEventSchema = z.object({
  type: z.literal('complete'),
  time,
  process,
  op: nonNegativeInt,
  status: z.enum(['ok', 'fail', 'info']),
  httpStatus: z.number().int().optional(),
  message: messageSchema.optional(),
  error: z
    .object({ code: z.string(), message: z.string(), outcome: z.enum(['not_applied', 'unknown']).optional() })
    .optional(),
});

export const broadcastEventSchema = z.object({
  type: z.literal('broadcast'),
  time,
  process,
  event: z.enum(['message.created', 'message.edited', 'message.deleted']),
  message: messageSchema,
});

export const catchupEventSchema = z.object({
  type: z.literal('catchup'),
  time,
  process,
  roomId: z.string(),
  after: z.number(),
  reason: z.enum(['reconnect', 'gap', 'final']),
  changes: z.array(messageSchema),
  latestVersion: z.number(),
  hasMore: z.boolean(),
  recovered: z.boolean().optional(),
});

export const connectionEventSchema = z.object({
  type: z.literal('connection'),
  time,
  process,
  state: z.enum(['open', 'closed']),
  code: z.number().int().optional(),
  reason: z.string().optional(),
});

export const faultEventSchema = z.object({
  type: z.literal('fault'),
  time,
  fault: z.string().min(1),
  phase: z.enum(['start', 'heal']),
  target: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const clientViewEventSchema = z.object({
  type: z.literal('client-view'),
  time,
  process,
  rooms: z.array(z.object({ roomId: z.string(), messages: z.array(messageSchema) })),
  unread: z.array(z.object({ roomId: z.string(), error: z.string() })).optional(),
});

export const databaseSnapshotEventSchema = z.object({
  type: z.literal('db-snapshot'),
  time,
  messages: z.array(messageSchema),
});

/** One schema per record type, by `type`, so a line is checked against the schema its type names. */
export const historyEventSchemas = {
  meta: metaEventSchema,
  invoke: invokeEventSchema,
  complete: completeEventSchema,
  broadcast: broadcastEventSchema,
  catchup: catchupEventSchema,
  connection: connectionEventSchema,
  fault: faultEventSchema,
  'client-view': clientViewEventSchema,
  'db-snapshot': databaseSnapshotEventSchema,
} as const;

export type HistoryEventType = keyof typeof historyEventSchemas;

// Compile-time: the schemas describe exactly the contract types (both directions), record type by record type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type SchemaOf<K extends HistoryEventType> = z.infer<(typeof historyEventSchemas)[K]>;
type ContractOf<K extends HistoryEventType> = Extract<HistoryEvent, { type: K }>;
export type SchemaMatchesContract = Assert<
  Same<{ [K in HistoryEventType]: Same<SchemaOf<K>, ContractOf<K>> }, { [K in HistoryEventType]: true }>
>;
export type MessageSchemaMatchesContract = Assert<Same<z.infer<typeof messageSchema>, Message>>;
export type EveryContractTypeHasASchema = Assert<Same<HistoryEvent['type'], HistoryEventType>>;
