import { setTimeout as sleep } from 'node:timers/promises';

const BASE_MS = 2;
const MAX_MS = 128;

/**
 * The pause before the `attempt`-th retry of a write that lost a race for the room's numbers: "full jitter"
 * exponential backoff (a random time up to 2, 4, 8 … 128 ms), so that competing processes spread out instead of
 * colliding in step. Server-side flow control, never a test's synchronisation.
 */
export function contentionPause(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** attempt);
  return sleep(Math.random() * ceiling);
}
