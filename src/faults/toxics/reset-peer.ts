import { HealableTimers } from '../healable-timers.js';
import type { Toxic, ToxicSpec } from '../toxic.js';
import { numberAttribute } from './toxic-attributes.js';
import { toxicHeader } from './toxic-header.js';

/**
 * Toxiproxy's `reset_peer`: `timeout` ms after the toxic reaches a connection (it was added, or the connection
 * opened while it is active), both sides get a TCP RST (ECONNRESET), not a clean close. Healing cancels pending
 * resets; connections already reset stay gone.
 */
export function resetPeerToxic(spec: ToxicSpec): Toxic {
  const timeout = numberAttribute(spec, 'timeout', 0);
  const timers = new HealableTimers();
  return {
    spec: toxicHeader(spec),
    attach(link) {
      if (timeout === 0) link.reset();
      else timers.after(timeout, () => link.reset());
    },
    heal() {
      timers.cancelAll();
    },
  };
}
