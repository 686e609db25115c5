import { z } from 'zod';

/** Users and rooms as given by `--world FILE` or `POST /_ackproof/world` (DESIGN.md §7). */
export interface WorldSpec {
  users: { id: string; token: string }[];
  rooms: { id: string; members: string[] }[];
}

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or _ . : -');

const worldSchema = z.object({
  users: z.array(z.object({ id, token: z.string().min(1).max(256) })).default([]),
  rooms: z.array(z.object({ id, members: z.array(id) })).default([]),
});

/** Reads a world spec, or explains the first bad field as `users[1].token: ...`. */
export function parseWorldSpec(input: unknown): { ok: true; spec: WorldSpec } | { ok: false; error: string } {
  const result = worldSchema.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
  return { ok: false, error: `${path.replace(/^\./, '') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}

/** The world `serve` uses without --world; its tokens are printed at start-up. */
export const DEMO_WORLD: WorldSpec = {
  users: [
    { id: 'alice', token: 'alice-token' },
    { id: 'bob', token: 'bob-token' },
    { id: 'carol', token: 'carol-token' },
  ],
  rooms: [
    { id: 'general', members: ['alice', 'bob', 'carol'] },
    { id: 'pair', members: ['alice', 'bob'] },
  ],
};
