import type { Toxic, ToxicSpec } from '../toxic.js';
import { toxicHeader } from './toxic-header.js';

/**
 * Toxiproxy's `timeout` with `timeout: 0`: data in this stream is dropped silently and the connection stays open,
 * so neither side notices until its own timeouts fire. Healing lets new data through; what was dropped is gone.
 */
export function blackholeToxic(spec: ToxicSpec): Toxic {
  return {
    spec: toxicHeader(spec),
    transform: () => null,
    heal() {},
  };
}
