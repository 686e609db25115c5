// A target module, as a team would write one: `ackproof run --target ./docs/examples/slow-heartbeat-target.mjs`.
// It reuses ackproof's reference server (outbox pattern) with a slower heartbeat, to show the shape of the API:
// export a factory (or a list of them) with an id, a description, capabilities and start(env).
// Run `npm run build` first: the module imports the built harness from dist/.
import { ReferenceTarget } from '../../dist/targets/reference/reference-target.js';

/** @type {import('../../dist/harness/sut/target.js').TargetFactory} */
const slowHeartbeat = {
  id: 'example:slow-heartbeat',
  description: 'the reference server (outbox) with a 2 s heartbeat: gaps and dead links are noticed later',
  capabilities: {
    edit: true,
    delete: true,
    crash: true,
    faultPoints: ['broadcast.throw', 'broadcast.delay', 'bus.saturate', 'crash.afterSave'],
    dbKill: true,
    links: { client: true, frames: true, database: true, broker: false },
    notPromised: {},
  },
  start: (env) => ReferenceTarget.start({ pattern: 'outbox', heartbeatMs: 2_000 }, env),
};

export default slowHeartbeat;
