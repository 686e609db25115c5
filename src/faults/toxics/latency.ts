import { HealableTimers } from '../healable-timers.js';
import type { Toxic, ToxicSpec } from '../toxic.js';
import { numberAttribute } from './toxic-attributes.js';
import { toxicHeader } from './toxic-header.js';

/**
 * Toxiproxy's `latency`: every chunk is passed on `latency` ms (plus or minus up to `jitter`) after the proxy
 * received it. Chunks of a stream are processed one at a time, so order is kept and delays do not add up.
 * Healing releases the held chunks at once.
 */
export function latencyToxic(spec: ToxicSpec): Toxic {
  const latency = numberAttribute(spec, 'latency');
  const jitter = numberAttribute(spec, 'jitter', 0);
  const timers = new HealableTimers();
  let healed = false;
  return {
    spec: toxicHeader(spec),
    async transform(chunk, _link, receivedAt) {
      if (healed) return chunk;
      const delay = latency + (jitter ? Math.round((Math.random() * 2 - 1) * jitter) : 0);
      const wait = receivedAt + delay - Date.now();
      if (wait > 0) await timers.wait(wait);
      return chunk;
    },
    heal() {
      healed = true;
      timers.fireAll();
    },
  };
}
