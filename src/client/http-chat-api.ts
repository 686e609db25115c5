import type { z } from 'zod';
import type { Message } from '../chat/message.js';
import { changesPageSchema, errorBodySchema, messageBodySchema, type ChangesPage } from './wire-schema.js';

/** What went wrong, as the server said it (`{error:{code, message, outcome}}`) or as the client saw it. */
export interface ApiError {
  code: string;
  message: string;
  outcome?: 'not_applied' | 'unknown';
  /** The server's `Retry-After` (a shed 503 OVERLOADED), in ms, at most MAX_RETRY_AFTER_MS. */
  retryAfterMs?: number;
}

/** A Retry-After longer than this is taken as this: a server cannot stall a client for hours. */
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * One request's outcome in the history's words (DESIGN.md §3, §7): `ok` the server acknowledged (2xx), `fail` it
 * certainly did not apply, `info` nobody knows.
 */
export type ApiResult<T> =
  | { status: 'ok'; httpStatus: number; value: T }
  | { status: 'fail' | 'info'; httpStatus?: number; error: ApiError };

export interface HttpChatApiOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** The user's bearer token. */
  token: string;
  /** Each request (connect, send, response body) must finish within this, else `info` TIMEOUT. */
  timeoutMs: number;
}

/**
 * The HTTP half of wire contract v1, with §7's outcome mapping:
 *   2xx with a well-formed body                          → ok (httpStatus and message kept)
 *   4xx, or any error body whose outcome is not_applied  → fail (every 4xx is not_applied, body or not)
 *   outcome unknown, 5xx without a usable body, a timeout, a connection reset or any other transport error → info
 *   2xx whose body does not parse                        → info BAD_RESPONSE: an acknowledgment that cannot be read
 *                                                          names no message a checker could hold the server to
 *   ECONNREFUSED on every address tried                  → fail CONNECTION_REFUSED: the TCP handshake was refused,
 *                                                          so not one byte of the request left this process; that
 *                                                          is proof it was not applied. (A reset or a close after
 *                                                          connecting is not: the request may have been read.)
 */
export class HttpChatApi {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(options: HttpChatApiOptions) {
    this.#base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
  }

  send(roomId: string, body: { clientMsgId: string; text: string }): Promise<ApiResult<Message>> {
    return this.#request('POST', `rooms/${enc(roomId)}/messages`, body, messageBodySchema, (b) => b.message);
  }

  edit(roomId: string, messageId: string, text: string): Promise<ApiResult<Message>> {
    return this.#request('PATCH', `rooms/${enc(roomId)}/messages/${enc(messageId)}`, { text }, messageBodySchema, (b) => b.message);
  }

  delete(roomId: string, messageId: string): Promise<ApiResult<Message>> {
    return this.#request('DELETE', `rooms/${enc(roomId)}/messages/${enc(messageId)}`, undefined, messageBodySchema, (b) => b.message);
  }

  changes(roomId: string, after: number, limit: number): Promise<ApiResult<ChangesPage>> {
    return this.#request('GET', `rooms/${enc(roomId)}/changes?after=${after}&limit=${limit}`, undefined, changesPageSchema, (b) => b);
  }

  async #request<S extends z.ZodType, T>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
    pick: (parsed: z.infer<S>) => T,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.#base), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      return transportFailure(error);
    }
    try {
      text = await response.text();
    } catch (error) {
      return transportFailure(error, response.status);
    }
    const json = parseJson(text);
    const httpStatus = response.status;
    if (httpStatus >= 200 && httpStatus < 300) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return { status: 'ok', httpStatus, value: pick(parsed.data) };
      return {
        status: 'info',
        httpStatus,
        error: { code: 'BAD_RESPONSE', message: `${method} /${path} answered ${httpStatus} with a body that is not the contract's: ${parsed.error.issues[0]?.message ?? 'unparseable'}` },
      };
    }
    const errorBody = errorBodySchema.safeParse(json);
    const serverError = errorBody.success ? errorBody.data.error : undefined;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const error: ApiError = {
      ...(serverError
        ? { code: serverError.code, message: serverError.message, ...(serverError.outcome ? { outcome: serverError.outcome } : {}) }
        : { code: `HTTP_${httpStatus}`, message: `${method} /${path} answered ${httpStatus} without an error body` }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    const notApplied = serverError?.outcome === 'not_applied' || (httpStatus >= 400 && httpStatus < 500 && serverError?.outcome !== 'unknown');
    return { status: notApplied ? 'fail' : 'info', httpStatus, error };
  }
}

/** `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP date) in ms, capped; undefined when absent or invalid. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A request that got no complete answer. Only a refused connect proves nothing was sent (see the class comment). */
function transportFailure(error: unknown, httpStatus?: number): ApiResult<never> {
  const status = httpStatus === undefined ? {} : { httpStatus };
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { status: 'info', ...status, error: { code: 'TIMEOUT', message: `no complete answer in time (${error.message})` } };
  }
  const codes = errorCodes(error);
  if (httpStatus === undefined && codes.length > 0 && codes.every((c) => c === 'ECONNREFUSED')) {
    return { status: 'fail', error: { code: 'CONNECTION_REFUSED', message: 'connection refused: the request was never sent', outcome: 'not_applied' } };
  }
  const reset = codes.some((c) => c === 'ECONNRESET' || c === 'EPIPE' || c === 'UND_ERR_SOCKET' || c === 'UND_ERR_CLOSED');
  return {
    status: 'info',
    ...status,
    error: { code: reset ? 'CONNECTION_RESET' : 'NETWORK_ERROR', message: describe(error) },
  };
}

/** The `code`s along an error's cause chain (fetch wraps them: TypeError → cause → maybe AggregateError.errors). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const codes: string[] = [];
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') codes.push(own);
  if (error instanceof AggregateError) for (const e of error.errors) codes.push(...errorCodes(e, depth + 1));
  codes.push(...errorCodes((error as { cause?: unknown }).cause, depth + 1));
  return codes;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
