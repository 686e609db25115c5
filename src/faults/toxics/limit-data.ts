import type { Toxic, ToxicLink, ToxicSpec } from '../toxic.js';
import { numberAttribute } from './toxic-attributes.js';
import { toxicHeader } from './toxic-header.js';

/**
 * Toxiproxy's `limit_data`: once `bytes` bytes have passed in this stream of a connection (counted from when the
 * toxic reached it), the rest is cut and the connection is closed. Healing stops the counting.
 */
export function limitDataToxic(spec: ToxicSpec): Toxic {
  const bytes = numberAttribute(spec, 'bytes');
  const passed = new WeakMap<ToxicLink, number>();
  return {
    spec: toxicHeader(spec),
    transform(chunk, link) {
      const seen = passed.get(link) ?? 0;
      const remaining = bytes - seen;
      if (chunk.length < remaining) {
        passed.set(link, seen + chunk.length);
        return chunk;
      }
      passed.set(link, bytes);
      link.closeAfterCurrentChunk();
      return remaining > 0 ? chunk.subarray(0, remaining) : null;
    },
    heal() {},
  };
}
