/**
 * Typed failures of the chat domain. `outcome` is the wire contract's (DESIGN.md §7): `not_applied` when nothing
 * changed, `unknown` when a write may or may not have happened. Boundaries map `kind` to a status code.
 */
export type Outcome = 'not_applied' | 'unknown';

export type ChatErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'too_large'
  | 'conflict'
  | 'unavailable'
  | 'outcome_unknown'
  | 'internal';

export class ChatError extends Error {
  override readonly name: string = 'ChatError';
  constructor(
    readonly kind: ChatErrorKind,
    readonly code: string,
    message: string,
    readonly outcome: Outcome = 'not_applied',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class UnauthorizedError extends ChatError {
  constructor(message = 'a valid bearer token is required') {
    super('unauthorized', 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends ChatError {
  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}

export class NotFoundError extends ChatError {
  constructor(code: string, message: string) {
    super('not_found', code, message);
  }
}

export class ValidationError extends ChatError {
  constructor(message: string, code = 'INVALID_REQUEST') {
    super('validation', code, message);
  }
}

export class TooLargeError extends ChatError {
  constructor(code: string, message: string) {
    super('too_large', code, message);
  }
}

export class ConflictError extends ChatError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

/** The store certainly did not apply the write (e.g. no server could be selected): safe to report as failed. */
export class StoreUnavailableError extends ChatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', 'STORE_UNAVAILABLE', message, 'not_applied', options);
  }
}

/**
 * Other writer processes kept taking the room's next numbers for as long as this write was willing to wait: nothing
 * was written, and a retry is safe (503, the client's transient refusal).
 */
export class StoreContendedError extends ChatError {
  constructor(message: string) {
    super('unavailable', 'ROOM_CONTENDED', message, 'not_applied');
  }
}

/** The write may have been applied (network error or timeout after sending): the sender must not assume either. */
export class StoreOutcomeUnknownError extends ChatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('outcome_unknown', 'STORE_OUTCOME_UNKNOWN', message, 'unknown', options);
  }
}
