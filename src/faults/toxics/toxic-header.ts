import type { Toxic, ToxicSpec } from '../toxic.js';

/** The identifying part of a toxic, with the target defaulted to `all`. */
export function toxicHeader(spec: ToxicSpec): Toxic['spec'] {
  return { name: spec.name, type: spec.type, stream: spec.stream, target: spec.target ?? 'all' };
}
