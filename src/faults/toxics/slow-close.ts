import { HealableTimers } from '../healable-timers.js';
import type { Toxic, ToxicSpec } from '../toxic.js';
import { numberAttribute } from './toxic-attributes.js';
import { toxicHeader } from './toxic-header.js';

/** Toxiproxy's `slow_close`: the sender's FIN is passed on `delay` ms late. Healing passes held FINs on at once. */
export function slowCloseToxic(spec: ToxicSpec): Toxic {
  const delay = numberAttribute(spec, 'delay');
  const timers = new HealableTimers();
  let healed = false;
  return {
    spec: toxicHeader(spec),
    async beforeEnd() {
      if (!healed) await timers.wait(delay);
    },
    heal() {
      healed = true;
      timers.fireAll();
    },
  };
}
