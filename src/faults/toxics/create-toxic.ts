import { FaultSpecError } from '../fault-spec-error.js';
import type { Toxic, ToxicSpec, ToxicType } from '../toxic.js';
import { blackholeToxic } from './blackhole.js';
import { latencyToxic } from './latency.js';
import { limitDataToxic } from './limit-data.js';
import { resetPeerToxic } from './reset-peer.js';
import { responseLostToxic } from './response-lost.js';
import { slowCloseToxic } from './slow-close.js';

const FACTORIES: Record<ToxicType, (spec: ToxicSpec) => Toxic> = {
  latency: latencyToxic,
  blackhole: blackholeToxic,
  reset_peer: resetPeerToxic,
  slow_close: slowCloseToxic,
  limit_data: limitDataToxic,
  response_lost: responseLostToxic,
};

export const TOXIC_TYPES = Object.keys(FACTORIES) as ToxicType[];

/** Builds a toxic from its plain-data spec; a bad spec is a FaultSpecError naming the toxic and field. */
export function createToxic(spec: ToxicSpec): Toxic {
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new FaultSpecError('a toxic needs a name');
  if (spec.stream !== 'upstream' && spec.stream !== 'downstream') {
    throw new FaultSpecError(`toxic "${spec.name}": stream must be "upstream" or "downstream", got ${JSON.stringify(spec.stream)}`);
  }
  const factory = Object.hasOwn(FACTORIES, spec.type) ? FACTORIES[spec.type] : undefined;
  if (!factory) {
    throw new FaultSpecError(`toxic "${spec.name}": unknown type ${JSON.stringify(spec.type)} (known: ${TOXIC_TYPES.join(', ')})`);
  }
  return factory(spec);
}
