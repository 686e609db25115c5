import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { errorBody } from './error-replies.js';

/** Node's HTTP parser errors (llhttp `HPE_*`, Node's own `ERR_*`) under the codes this API documents. */
const PARSER_ERRORS: Record<string, { status: number; code: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE' },
  HPE_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT' },
};

/** fastify's router errors, raised before any route or error handler runs. */
const ROUTER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', message: 'a path segment (room or message id) is longer than the server accepts' },
  FST_ERR_BAD_URL: { status: 400, code: 'INVALID_URL', message: 'the path is not a valid URL (a bad percent escape)' },
};

/**
 * The fastify options that make the two edges fastify and Node answer themselves speak the contract's
 * `{error:{code,message,outcome}}` too: the router's own errors (a path parameter over fastify's length limit, a bad
 * percent escape) and the HTTP parser's (a garbage request line or method, a bad or doubled Content-Length,
 * Content-Length with Transfer-Encoding, headers over Node's 16 KB). None of them reached a handler, so every one is
 * `not_applied`. Messages never echo the offending input (it may be kilobytes long).
 */
export function edgeErrorOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
      const known = ROUTER_ERRORS[error.code] ?? { status: 400, code: 'BAD_REQUEST', message: 'the request could not be routed' };
      void reply.code(known.status).send(errorBody(known.code, known.message, 'not_applied'));
    },
    clientErrorHandler(error: NodeJS.ErrnoException & { reason?: string }, socket: Socket) {
      // A reset connection has no one to answer (Node's own rule for 'clientError').
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const known = PARSER_ERRORS[error.code ?? ''] ?? { status: 400, code: 'MALFORMED_REQUEST' };
      const reason = (error.reason ?? error.message ?? 'unparseable').slice(0, 120);
      const body = JSON.stringify(errorBody(known.code, `malformed HTTP request: ${reason}`, 'not_applied'));
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? 'Bad Request'}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      // The parser's state is lost: the connection cannot carry another request.
      socket.destroy();
    },
  };
}
