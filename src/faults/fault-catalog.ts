import { FaultSpecError } from './fault-spec-error.js';
import type { FrameRule } from './frame-rule.js';
import type { ToxicSpec, ToxicStream } from './toxic.js';

/** A fault as a scenario or the generator names it (the shape of the runner's FaultInstance). */
export interface FaultSpec {
  name: string;
  /** A client label for `ws.*` (absent or `all`: every client); ignored by `db.*`. */
  target?: string;
  params?: Record<string, unknown>;
}

/**
 * Which proxy a fault acts on: the TCP proxy before the server's WebSocket port, the frame relay, the one before the
 * database, the one before the broker (several nodes: one of each per node, and the fault acts on all of them).
 */
export type ProxyRole = 'ws' | 'wsFrames' | 'db' | 'broker';
type TcpRole = 'ws' | 'db' | 'broker';

/** What starting a fault does, as plain data; healing undoes it. Toxic and rule names are given by the nemesis. */
export type FaultPlan =
  | { kind: 'toxics'; proxy: TcpRole; toxics: Omit<ToxicSpec, 'name'>[] }
  | { kind: 'frame-rule'; proxy: 'wsFrames'; rule: Omit<FrameRule, 'name'> }
  | { kind: 'disable'; proxy: 'db' | 'broker' };

/** Broadcast frames, as opposed to `subscribed`, `heartbeat` and errors: what frame faults take by default. */
const BROADCAST_TYPES = ['message.created', 'message.edited', 'message.deleted'];

/** MongoDB write commands whose reply `db.response-lost` loses by default. */
const WRITE_COMMANDS = ['insert', 'update', 'findAndModify', 'delete'];

/**
 * Each fault name to its plan. Params (all optional): `ms`, `jitter`, `stream` (`upstream`, `downstream` or
 * `both`), `afterMs`, `bytes`, `count`, `types`, `contains`, `commands`; see each line for its defaults.
 */
export const FAULT_CATALOG = {
  'ws.latency': (f) => tcp('ws', f, 'latency', 'both', { latency: num(f, 'ms', 300), jitter: num(f, 'jitter', 0) }),
  'ws.blackhole': (f) => tcp('ws', f, 'blackhole', 'both', {}),
  'ws.reset': (f) => tcp('ws', f, 'reset_peer', 'downstream', { timeout: num(f, 'afterMs', 0) }),
  'ws.slow-close': (f) => tcp('ws', f, 'slow_close', 'both', { delay: num(f, 'ms', 1_000) }),
  'ws.limit-data': (f) => tcp('ws', f, 'limit_data', 'downstream', { bytes: num(f, 'bytes', 1_024) }),
  'ws.drop-frame': (f) => frames(f, { action: 'drop' }),
  'ws.duplicate-frame': (f) => frames(f, { action: 'duplicate' }),
  'ws.delay-frame': (f) => frames(f, { action: 'delay', delayMs: num(f, 'ms', 1_000) }),
  'db.unreachable': () => ({ kind: 'disable', proxy: 'db' }),
  'db.latency': (f) =>
    tcp('db', { ...f, target: 'all' }, 'latency', 'both', { latency: num(f, 'ms', 200), jitter: num(f, 'jitter', 0) }),
  'db.response-lost': (f) => ({
    kind: 'toxics',
    proxy: 'db',
    toxics: [
      {
        type: 'response_lost',
        stream: 'downstream',
        // The command name is the first key of an OP_MSG body: BSON string element 0x02, the name, 0x00.
        attributes: { count: num(f, 'count', 1), match: strings(f, 'commands', WRITE_COMMANDS).map((c) => `\x02${c}\x00`) },
      },
    ],
  }),
  'broker.unreachable': () => ({ kind: 'disable', proxy: 'broker' }),
  'broker.latency': (f) =>
    tcp('broker', { ...f, target: 'all' }, 'latency', 'both', { latency: num(f, 'ms', 200), jitter: num(f, 'jitter', 0) }),
  'broker.reset': (f) => tcp('broker', { ...f, target: 'all' }, 'reset_peer', 'downstream', { timeout: num(f, 'afterMs', 0) }),
} satisfies Record<string, (fault: FaultSpec) => FaultPlan>;

/** The faults the nemesis's proxies carry out (server fault points and process faults are the runner's). */
export type ProxyFaultName = keyof typeof FAULT_CATALOG;

export const PROXY_FAULT_NAMES = Object.keys(FAULT_CATALOG) as ProxyFaultName[];

export function isProxyFault(name: string): name is ProxyFaultName {
  return Object.hasOwn(FAULT_CATALOG, name);
}

function tcp(
  proxy: TcpRole,
  fault: FaultSpec,
  type: ToxicSpec['type'],
  defaultStream: ToxicStream | 'both',
  attributes: Record<string, unknown>,
): FaultPlan {
  const stream = fault.params?.['stream'] ?? defaultStream;
  if (stream !== 'both' && stream !== 'upstream' && stream !== 'downstream') {
    throw new FaultSpecError(`fault ${fault.name}: params.stream must be "upstream", "downstream" or "both"`);
  }
  const streams: ToxicStream[] = stream === 'both' ? ['upstream', 'downstream'] : [stream];
  const target = fault.target && fault.target !== 'all' ? { label: fault.target } : 'all';
  return { kind: 'toxics', proxy, toxics: streams.map((s) => ({ type, stream: s, attributes, target })) };
}

function frames(fault: FaultSpec, rule: Pick<FrameRule, 'action' | 'delayMs'>): FaultPlan {
  const contains = fault.params?.['contains'];
  if (contains !== undefined && typeof contains !== 'string') {
    throw new FaultSpecError(`fault ${fault.name}: params.contains must be a string`);
  }
  return {
    kind: 'frame-rule',
    proxy: 'wsFrames',
    rule: {
      ...rule,
      target: fault.target && fault.target !== 'all' ? { label: fault.target } : 'all',
      direction: 'downstream',
      count: num(fault, 'count', 1),
      // `contains` alone matches any frame carrying it (a system whose frames are not the reference contract's).
      match:
        contains !== undefined && fault.params?.['types'] === undefined
          ? { contains }
          : { types: strings(fault, 'types', BROADCAST_TYPES), ...(contains === undefined ? {} : { contains }) },
    },
  };
}

function num(fault: FaultSpec, key: string, fallback: number): number {
  const value = fault.params?.[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FaultSpecError(`fault ${fault.name}: params.${key} must be a number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function strings(fault: FaultSpec, key: string, fallback: string[]): string[] {
  const value = fault.params?.[key] ?? fallback;
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string')) {
    throw new FaultSpecError(`fault ${fault.name}: params.${key} must be a non-empty list of strings`);
  }
  return value as string[];
}
