import type { FaultEvent } from '../history/event.js';
import { FAULT_CATALOG, isProxyFault, type FaultPlan, type FaultSpec, type ProxyRole } from './fault-catalog.js';
import { FaultSpecError } from './fault-spec-error.js';
import type { TcpProxy } from './tcp-proxy.js';
import type { WsFrameProxy } from './ws-frame-proxy.js';

/**
 * The proxies a run put in place (one, or one per node); a fault that needs one that is absent is a FaultSpecError.
 * A fault acts on every proxy of its role.
 */
export interface NemesisProxies {
  /** TCP proxy between the clients and the server's WebSocket (and HTTP) port. */
  ws?: TcpProxy | readonly TcpProxy[];
  /** WebSocket frame relay between the clients and the server. */
  wsFrames?: WsFrameProxy | readonly WsFrameProxy[];
  /** TCP proxy between the server and the database. */
  db?: TcpProxy | readonly TcpProxy[];
  /** TCP proxy between the server and its broker (Redis). */
  broker?: TcpProxy | readonly TcpProxy[];
}

interface ActiveFault {
  fault: FaultSpec;
  plan: FaultPlan;
  names: string[];
}

/**
 * Starts and heals the proxy faults of FAULT_CATALOG by name, and returns the history records of what it did.
 * One fault per key (`name@target`, like the runner's faultKey) is in force at a time; healing is idempotent.
 */
export class Nemesis {
  private readonly active = new Map<string, ActiveFault>();

  constructor(
    private readonly proxies: NemesisProxies,
    /** The history's clock (ms since the run started). */
    private readonly now: () => number,
  ) {}

  /** Whether this nemesis carries the fault out (others, server and process faults, are the runner's). */
  handles(name: string): boolean {
    return isProxyFault(name);
  }

  activeFaults(): FaultSpec[] {
    return [...this.active.values()].map(({ fault }) => fault);
  }

  async start(fault: FaultSpec): Promise<FaultEvent[]> {
    if (!isProxyFault(fault.name)) throw new FaultSpecError(`the nemesis has no fault named "${fault.name}"`);
    const key = keyOf(fault);
    if (this.active.has(key)) throw new FaultSpecError(`fault ${key} is already in force`);
    const plan = FAULT_CATALOG[fault.name](fault);
    const names: string[] = [];
    switch (plan.kind) {
      case 'toxics': {
        const proxies = this.tcp(plan.proxy, fault);
        plan.toxics.forEach((toxic, index) => {
          const name = `${key}#${index}`;
          for (const proxy of proxies) proxy.addToxic({ ...toxic, name });
          names.push(name);
        });
        break;
      }
      case 'frame-rule':
        for (const relay of this.frames(fault)) relay.addRule({ ...plan.rule, name: key });
        names.push(key);
        break;
      case 'disable':
        await Promise.all(this.tcp(plan.proxy, fault).map((proxy) => proxy.setEnabled(false)));
        break;
    }
    this.active.set(key, { fault, plan, names });
    return [this.event(fault, 'start')];
  }

  /** Heals a fault started with the same name and target; nothing (no record) when it is not in force. */
  async heal(fault: FaultSpec): Promise<FaultEvent[]> {
    const key = keyOf(fault);
    const active = this.active.get(key);
    if (!active) return [];
    this.active.delete(key);
    const { plan, names } = active;
    switch (plan.kind) {
      case 'toxics': {
        for (const proxy of this.tcp(plan.proxy, active.fault)) for (const name of names) proxy.removeToxic(name);
        break;
      }
      case 'frame-rule':
        for (const relay of this.frames(active.fault)) for (const name of names) relay.removeRule(name);
        break;
      case 'disable':
        await Promise.all(this.tcp(plan.proxy, active.fault).map((proxy) => proxy.setEnabled(true)));
        break;
    }
    return [this.event(active.fault, 'heal')];
  }

  /** Heals everything in force, in the order it was started. */
  async healAll(): Promise<FaultEvent[]> {
    const events: FaultEvent[] = [];
    for (const { fault } of [...this.active.values()]) events.push(...(await this.heal(fault)));
    return events;
  }

  private tcp(role: 'ws' | 'db' | 'broker', fault: FaultSpec): readonly TcpProxy[] {
    return present(this.proxies[role], fault, role);
  }

  private frames(fault: FaultSpec): readonly WsFrameProxy[] {
    return present(this.proxies.wsFrames, fault, 'wsFrames');
  }

  private event(fault: FaultSpec, phase: FaultEvent['phase']): FaultEvent {
    const target = fault.name.startsWith('db.') ? 'database' : fault.name.startsWith('broker.') ? 'broker' : (fault.target ?? 'all');
    return { type: 'fault', time: this.now(), fault: fault.name, phase, target, params: { ...fault.params } };
  }
}

function keyOf(fault: FaultSpec): string {
  return fault.target ? `${fault.name}@${fault.target}` : fault.name;
}

const PROXY_DESCRIPTIONS: Record<ProxyRole, string> = {
  ws: 'a TCP proxy before the WebSocket port',
  wsFrames: 'a WebSocket frame proxy',
  db: 'a TCP proxy before the database',
  broker: 'a TCP proxy before the broker',
};

function present<P>(proxies: P | readonly P[] | undefined, fault: FaultSpec, role: ProxyRole): readonly P[] {
  const list = proxies === undefined ? [] : Array.isArray(proxies) ? (proxies as readonly P[]) : [proxies as P];
  if (list.length === 0) throw missing(fault, role);
  return list;
}

function missing(fault: FaultSpec, role: ProxyRole): FaultSpecError {
  return new FaultSpecError(`fault ${fault.name} needs ${PROXY_DESCRIPTIONS[role]}, and this run has none`);
}
