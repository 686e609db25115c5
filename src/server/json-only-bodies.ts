import type { FastifyInstance } from 'fastify';

/**
 * Bodies are JSON or nothing: any other content type is 415. An empty JSON body is allowed (a DELETE sent with a
 * content type), and bad JSON is a 400 named as such.
 */
export function acceptOnlyJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch (error) {
      const invalid = Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });
      done(invalid, undefined);
    }
  });
}
