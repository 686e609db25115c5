import type { FastifyError, FastifyInstance } from 'fastify';
import { ChatError, type ChatErrorKind, type Outcome } from '../chat/chat-error.js';

/** The wire contract's error body (DESIGN.md §7). */
export interface ErrorBody {
  error: { code: string; message: string; outcome: Outcome };
}

const STATUS: Record<ChatErrorKind, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  too_large: 413,
  conflict: 409,
  unavailable: 503,
  outcome_unknown: 504,
  internal: 500,
};

/** fastify's own 4xx errors under the codes this API documents. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

export function errorReply(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ChatError) {
    return { status: STATUS[error.kind], body: errorBody(error.code, error.message, error.outcome) };
  }
  const status = (error as FastifyError)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error as FastifyError).code;
    return { status, body: errorBody(FASTIFY_CODES[code] ?? 'BAD_REQUEST', (error as Error).message, 'not_applied') };
  }
  // Unexpected: whatever was under way may or may not have happened.
  return { status: 500, body: errorBody('INTERNAL', String((error as Error)?.message ?? error), 'unknown') };
}

/** Every error, fastify's own 400/404/413/415 included, answers `{error:{code,message,outcome}}`. */
export function installErrorReplies(app: FastifyInstance, log: (line: string) => void): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body: payload } = errorReply(error);
    if (status >= 500) log(`${request.method} ${request.url}: ${status} ${payload.error.code}: ${payload.error.message}`);
    void reply.code(status).send(payload);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, 'not_applied'));
  });
}

export function errorBody(code: string, message: string, outcome: Outcome): ErrorBody {
  return { error: { code, message, outcome } };
}
