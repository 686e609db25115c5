import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../chat/chat-error.js';

/** The in-server fault points of DESIGN.md §7, armed and disarmed through the admin endpoint. */
export const FAULT_POINTS = ['broadcast.throw', 'broadcast.delay', 'crash.afterSave', 'bus.saturate'] as const;
export type FaultPointName = (typeof FAULT_POINTS)[number];

const PARAMS = {
  /** Neither count nor probability: every broadcast throws until disarmed. */
  'broadcast.throw': z
    .object({ count: z.number().int().min(1).optional(), probability: z.number().min(0).max(1).optional() })
    .strict(),
  'broadcast.delay': z.object({ ms: z.number().int().min(0).max(600_000) }).strict(),
  'crash.afterSave': z.object({}).strict(),
  'bus.saturate': z.object({}).strict(),
} satisfies Record<FaultPointName, z.ZodType>;

export interface ArmedFault {
  point: FaultPointName;
  params: Record<string, unknown>;
  /** How many times it has fired since armed. */
  fired: number;
}

/** The armed fault points and the questions the server's parts ask them. */
export class FaultPoints {
  private readonly armed = new Map<FaultPointName, ArmedFault>();

  constructor(private readonly random: () => number = Math.random) {}

  arm(point: string, params: unknown): ArmedFault {
    const name = faultPoint(point);
    const parsed = PARAMS[name].safeParse(params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(`${name}: ${issue?.path.join('.') || 'params'}: ${issue?.message ?? 'invalid'}`);
    }
    const fault: ArmedFault = { point: name, params: parsed.data, fired: 0 };
    this.armed.set(name, fault);
    return fault;
  }

  disarm(point: string): boolean {
    return this.armed.delete(faultPoint(point));
  }

  list(): ArmedFault[] {
    return [...this.armed.values()].map((f) => ({ ...f, params: { ...f.params } }));
  }

  isArmed(point: FaultPointName): boolean {
    return this.armed.has(point);
  }

  /** Whether this broadcast should throw; a `count` fault disarms itself once used up. */
  broadcastShouldThrow(): boolean {
    const fault = this.armed.get('broadcast.throw');
    if (!fault) return false;
    const { count, probability } = fault.params as { count?: number; probability?: number };
    if (probability !== undefined && this.random() >= probability) return false;
    fault.fired++;
    if (count !== undefined && fault.fired >= count) this.armed.delete('broadcast.throw');
    return true;
  }

  broadcastDelayMs(): number {
    const fault = this.armed.get('broadcast.delay');
    if (!fault) return 0;
    fault.fired++;
    return (fault.params as { ms: number }).ms;
  }

  /** Fires crash.afterSave (the caller then dies). */
  crashAfterSave(): boolean {
    const fault = this.armed.get('crash.afterSave');
    if (fault) fault.fired++;
    return fault !== undefined;
  }

  /** Counts a rejection caused by bus.saturate. */
  busSaturated(): boolean {
    const fault = this.armed.get('bus.saturate');
    if (fault) fault.fired++;
    return fault !== undefined;
  }
}

function faultPoint(point: string): FaultPointName {
  if ((FAULT_POINTS as readonly string[]).includes(point)) return point as FaultPointName;
  throw new NotFoundError('UNKNOWN_FAULT_POINT', `no fault point "${point}"; known: ${FAULT_POINTS.join(', ')}`);
}
