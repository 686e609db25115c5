import { z } from 'zod';
import { PROPERTY_IDS } from './probe-properties.js';
import type { DbProbeResult } from './probe-result.js';

const verdict = z.enum(['holds', 'broken', 'unknown']);
const count = z.number().int().nonnegative();

const schema = z.object({
  database: z.string().min(1),
  measuredAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  verdict,
  properties: z.array(
    z.object({
      property: z.enum(PROPERTY_IDS),
      verdict,
      reason: z.string(),
      counts: z
        .object({
          attempts: count,
          rounds: count,
          acknowledged: count,
          lost: count,
          doubleWinners: count,
          noWinner: count,
          phantoms: count,
          errors: count,
          firstError: z.string().optional(),
          detail: z.string().optional(),
        })
        .optional(),
      durationMs: z.number().nonnegative(),
    }),
  ),
});

// Kept equal to the interface at compile time, so the cache cannot drift from what the probe writes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof schema>, DbProbeResult> = true;
void same;

/**
 * A stored or handed-over probe result (JSON text), checked, if it is one of `database`; undefined otherwise (an
 * old or damaged cache file, another database's result).
 */
export function parseProbeResultFor(text: string, database: string): DbProbeResult | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success && parsed.data.database === database ? parsed.data : undefined;
}
