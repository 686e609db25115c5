import { FaultSpecError } from './fault-spec-error.js';
import { HealableTimers } from './healable-timers.js';

/** `downstream` = server -> client frames (broadcasts), `upstream` = client -> server. */
export type FrameDirection = 'downstream' | 'upstream';
export type FrameAction = 'drop' | 'duplicate' | 'delay';

/** Which frames a rule takes; every given field must hold. Absent: every frame. */
export interface FrameMatch {
  /** The `type` field of a JSON text frame, e.g. `['message.created']`. */
  types?: string[];
  /** A substring of a text frame. */
  contains?: string;
}

/** A WebSocket-frame fault, plain data (the runner records it as the fault's params). */
export interface FrameRule {
  name: string;
  action: FrameAction;
  /** `all` (the default) or the connections carrying a label (see WsFrameProxy). */
  target?: 'all' | { label: string };
  /** Default `downstream`. */
  direction?: FrameDirection;
  /** How many matching frames it takes, over all its connections; default 1; 0 = every one until healed. */
  count?: number;
  /** For `delay`: each taken frame is sent this much later, while later frames flow on (order changes). */
  delayMs?: number;
  match?: FrameMatch;
}

/** A frame as the relay sees it. */
export interface Frame {
  data: Buffer;
  isBinary: boolean;
}

/** A rule in force inside a WsFrameProxy: counts what it took and holds its delayed frames. */
export class ActiveFrameRule {
  applied = 0;
  readonly timers = new HealableTimers();

  constructor(readonly rule: FrameRule) {
    validate(rule);
  }

  /** Whether the rule takes this frame now (and counts it). */
  take(label: string | undefined, direction: FrameDirection, frame: Frame): boolean {
    const { rule } = this;
    if ((rule.direction ?? 'downstream') !== direction) return false;
    const target = rule.target ?? 'all';
    if (target !== 'all' && target.label !== label) return false;
    const count = rule.count ?? 1;
    if (count > 0 && this.applied >= count) return false;
    if (!matches(rule.match, frame)) return false;
    this.applied += 1;
    return true;
  }
}

function matches(match: FrameMatch | undefined, frame: Frame): boolean {
  if (!match) return true;
  if (frame.isBinary) return false;
  const text = frame.data.toString('utf8');
  if (match.contains !== undefined && !text.includes(match.contains)) return false;
  if (match.types) {
    const type = jsonType(text);
    if (type === undefined || !match.types.includes(type)) return false;
  }
  return true;
}

function jsonType(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

function validate(rule: FrameRule): void {
  const where = `frame rule "${String(rule.name)}"`;
  if (typeof rule.name !== 'string' || rule.name.length === 0) throw new FaultSpecError('a frame rule needs a name');
  if (!['drop', 'duplicate', 'delay'].includes(rule.action)) {
    throw new FaultSpecError(`${where}: action must be drop, duplicate or delay, got ${JSON.stringify(rule.action)}`);
  }
  if (rule.direction !== undefined && rule.direction !== 'downstream' && rule.direction !== 'upstream') {
    throw new FaultSpecError(`${where}: direction must be "downstream" or "upstream"`);
  }
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) {
    throw new FaultSpecError(`${where}: count must be an integer >= 0`);
  }
  if (rule.action === 'delay' && !(typeof rule.delayMs === 'number' && rule.delayMs >= 0)) {
    throw new FaultSpecError(`${where}: a delay needs delayMs >= 0`);
  }
}
