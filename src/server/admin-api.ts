import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../chat/chat-error.js';
import type { World } from '../chat/world.js';
import { parseWorldSpec } from '../chat/world-spec.js';
import type { FaultPoints } from './faults/fault-points.js';

/** The admin routes of DESIGN.md §7 (served on their own loopback-only listener). */
export function registerAdminRoutes(app: FastifyInstance, faults: FaultPoints, world: World): void {
  app.get('/_ackproof/faults', async () => ({ faults: faults.list() }));

  app.put<{ Params: { point: string } }>('/_ackproof/faults/:point', async (request) => ({
    fault: faults.arm(request.params.point, request.body),
  }));

  app.delete<{ Params: { point: string } }>('/_ackproof/faults/:point', async (request) => ({
    disarmed: faults.disarm(request.params.point),
  }));

  app.get('/_ackproof/world', async () => ({ world: world.toSpec() }));

  /** Adds users and rooms (idempotent: known users get the given token, known rooms gain members). */
  app.post('/_ackproof/world', async (request) => {
    const parsed = parseWorldSpec(request.body ?? {});
    if (!parsed.ok) throw new ValidationError(`world: ${parsed.error}`);
    world.add(parsed.spec);
    return { world: world.toSpec() };
  });
}
