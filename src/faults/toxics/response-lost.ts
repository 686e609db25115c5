import { FaultSpecError } from '../fault-spec-error.js';
import type { Toxic, ToxicLink, ToxicSpec } from '../toxic.js';
import { numberAttribute, stringListAttribute } from './toxic-attributes.js';
import { toxicHeader } from './toxic-header.js';

/**
 * The ambiguous write, between a server and its database (not a Toxiproxy toxic): the next `count` requests whose
 * bytes contain one of `match` (latin1 substrings; any request when absent) reach the database untouched; the
 * database's reply to each is dropped, and the connection is reset when that reply arrives. The reply arriving
 * proves the database executed the request, so the client sees a network error for a write that WAS applied: the
 * outcome it must report is `unknown` (`info`), never `not_applied`.
 *
 * Its stream is `downstream` (where the loss happens); it watches the upstream stream to arm itself. This relies
 * on one request in flight per connection, as MongoDB drivers do on pooled connections.
 */
export function responseLostToxic(spec: ToxicSpec): Toxic {
  if (spec.stream !== 'downstream') {
    throw new FaultSpecError(`toxic "${spec.name}" (response_lost): stream must be "downstream" (the reply is lost)`);
  }
  let remaining = numberAttribute(spec, 'count', 1);
  const markers = stringListAttribute(spec, 'match')?.map((text) => Buffer.from(text, 'latin1'));
  const armed = new WeakSet<ToxicLink>();
  let healed = false;
  return {
    spec: toxicHeader(spec),
    observe(chunk, link) {
      if (healed || remaining <= 0 || armed.has(link)) return;
      if (markers && !markers.some((marker) => chunk.includes(marker))) return;
      armed.add(link);
      remaining -= 1;
    },
    transform(chunk, link) {
      if (!armed.has(link)) return chunk;
      armed.delete(link);
      link.reset();
      return null;
    },
    heal() {
      healed = true;
    },
  };
}
