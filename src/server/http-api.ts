import type { FastifyInstance } from 'fastify';
import type { ChatService } from '../chat/chat-service.js';
import type { World } from '../chat/world.js';
import { authenticate, editBody, integerParam, parseBody, sendBody } from './request-input.js';

type RoomParams = { roomId: string };
type MessageParams = { roomId: string; id: string };

/** The chat routes of DESIGN.md §7; every failure reaches the error replies as a typed error. */
export function registerChatRoutes(app: FastifyInstance, chat: ChatService, world: World, health: () => Promise<object>): void {
  app.post<{ Params: RoomParams }>('/rooms/:roomId/messages', async (request, reply) => {
    const user = authenticate(world, request);
    const { clientMsgId, text } = parseBody(sendBody, request.body);
    const { message, created } = await chat.send(user, request.params.roomId, clientMsgId, text);
    return reply.code(created ? 201 : 200).send({ message });
  });

  app.patch<{ Params: MessageParams }>('/rooms/:roomId/messages/:id', async (request) => {
    const user = authenticate(world, request);
    const { text } = parseBody(editBody, request.body);
    return { message: await chat.edit(user, request.params.roomId, request.params.id, text) };
  });

  app.delete<{ Params: MessageParams }>('/rooms/:roomId/messages/:id', async (request) => {
    const user = authenticate(world, request);
    return { message: await chat.delete(user, request.params.roomId, request.params.id) };
  });

  app.get<{ Params: RoomParams; Querystring: Record<string, unknown> }>('/rooms/:roomId/changes', async (request) => {
    const user = authenticate(world, request);
    const after = integerParam(request.query.after, 'after', 0) ?? 0;
    const limit = integerParam(request.query.limit, 'limit', undefined);
    return chat.changes(user, request.params.roomId, after, limit);
  });

  app.get('/healthz', async () => health());
}
