import type { Message } from '../chat/message.js';
import type { CatchupEvent, CompletionStatus } from '../history/event.js';
import type { ApiError } from './http-chat-api.js';

/** The outcome of one recorded operation (one invoke/complete pair). */
export interface OpResult {
  op: number;
  status: CompletionStatus;
  httpStatus?: number;
  message?: Message;
  error?: ApiError;
}

/** Codes of `not_applied` answers that say "not now" rather than "never": the same send may succeed later. */
const TRANSIENT_REFUSALS = new Set(['CONNECTION_REFUSED', 'STORE_UNAVAILABLE', 'OVERLOADED']);

export function worthRetrying(result: OpResult): boolean {
  return result.status === 'info' || (result.status === 'fail' && TRANSIENT_REFUSALS.has(result.error?.code ?? ''));
}

/**
 * The pause before attempt number `attempt` (1 = the first retry): the client's exponential backoff, or longer when
 * the previous answer asked for it (Retry-After of a shed request).
 */
export function retryDelayMs(backoffMs: number, attempt: number, previous: OpResult | undefined): number {
  return Math.max(backoffMs * 2 ** (attempt - 1), previous?.error?.retryAfterMs ?? 0);
}

/** A send: the last attempt's outcome, the idempotency key, and every attempt. */
export interface SendResult extends OpResult {
  clientMsgId: string;
  attempts: OpResult[];
}

export interface CatchUpResult {
  roomId: string;
  /** Every page was read (false: a request failed; `error` says why). */
  ok: boolean;
  pages: number;
  changes: number;
  /** The room's cursor reached every version known to exist. */
  complete: boolean;
  error?: ApiError;
}

export type CatchUpReason = CatchupEvent['reason'];
