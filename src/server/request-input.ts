import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UnauthorizedError, ValidationError } from '../chat/chat-error.js';
import type { World } from '../chat/world.js';

export const sendBody = z.object({ clientMsgId: z.string(), text: z.string() });
export const editBody = z.object({ text: z.string() });

/** Parses a JSON body, or throws a ValidationError naming the field (`body.text: ...`). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ValidationError(`body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}

/** The token of `Authorization: Bearer <token>` (or `?token=` where allowed, e.g. the WebSocket upgrade). */
export function bearerToken(authorization: string | undefined, query?: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? (query || undefined);
}

export function authenticate(world: World, request: FastifyRequest): string {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) throw new UnauthorizedError('missing Authorization: Bearer <token>');
  const user = world.userFor(token);
  if (user === undefined) throw new UnauthorizedError('unknown bearer token');
  return user;
}

/** A non-negative integer query parameter, or the default when absent. */
export function integerParam(value: unknown, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new ValidationError(`${name} must be a non-negative integer`);
  }
  return Number(value);
}
