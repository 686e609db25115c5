import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TargetFactory } from '../harness/sut/target.js';
import { isPatternName } from '../server/patterns/pattern-registry.js';
import { centrifugoTargets } from '../targets/centrifugo/centrifugo-targets.js';
import { parseReferenceTargetId, referenceTarget, referenceTargets } from '../targets/reference/reference-targets.js';
import { socketioTargets } from '../targets/socketio/socketio-targets.js';
import { UsageError } from './exit-code.js';
import { FANOUT_MODES, isFanoutMode, type FanoutMode } from '../server/fanout/fanout.js';

/**
 * The targets the CLI knows by name. The harness never imports `src/targets/`: the CLI hands it factories, and a
 * team's own module (`--target ./my-target.js`) plugs in the same way.
 */
export const KNOWN_TARGETS: readonly TargetFactory[] = [...referenceTargets, ...centrifugoTargets, ...socketioTargets];

/** A reference pattern name is shorthand for its target: `outbox` is `reference:outbox`. */
export function targetIdOf(name: string): string {
  return isPatternName(name) ? `reference:${name}` : name;
}

/**
 * Target names or module paths from the command line, in order, without repeats. A module exports a factory or a
 * list of them (default export or `targets`); an unknown name is a usage error that lists the known ones.
 */
export async function resolveTargets(text: string, flag: string): Promise<TargetFactory[]> {
  const names = text.split(',').map((p) => p.trim()).filter(Boolean);
  const known = KNOWN_TARGETS.map((t) => t.id).join(', ');
  if (names.length === 0) throw new UsageError(`${flag} "${text}": give target names separated by commas (${known}), or a module path`);
  const found: TargetFactory[] = [];
  for (const name of names) {
    const factories = isModulePath(name) ? await loadTargetModule(name, flag) : [byName(name, flag, known)];
    for (const factory of factories) if (!found.some((f) => f.id === factory.id)) found.push(factory);
  }
  return found;
}

function byName(name: string, flag: string, known: string): TargetFactory {
  const id = targetIdOf(name);
  const factory = KNOWN_TARGETS.find((t) => t.id === id);
  if (factory) return factory;
  // Several reference nodes: `reference:outbox+redis-streams@3`.
  const reference = parseReferenceTargetId(id);
  if (reference) return referenceTarget(reference.pattern, reference.topology);
  throw new UsageError(
    `${flag}: unknown target "${name}"; the targets are ${known} (several reference nodes: reference:outbox+redis-streams@3), or a module path (./my-target.js)`,
  );
}

/**
 * `--nodes N --fanout a,b`: each reference target as N nodes over each fan-out (other targets as they are). One
 * node and `none` leave them unchanged.
 */
export function withTopology(targets: TargetFactory[], nodes: number, fanouts: string[], flag = '--fanout'): TargetFactory[] {
  const unknown = fanouts.filter((f) => !isFanoutMode(f));
  if (unknown.length > 0) throw new UsageError(`${flag} ${fanouts.join(',')}: unknown fan-out ${unknown.join(', ')}; the fan-outs are ${FANOUT_MODES.join(', ')}`);
  if (nodes > 1 && fanouts.includes('none')) throw new UsageError(`--nodes ${nodes} needs a fan-out between the nodes: --fanout redis-pubsub or redis-streams`);
  return targets.flatMap((target) => {
    const reference = parseReferenceTargetId(target.id);
    if (!reference || (nodes === 1 && fanouts.every((f) => f === 'none'))) return [target];
    return fanouts.map((fanout) => referenceTarget(reference.pattern, { nodes, fanout: fanout as FanoutMode }));
  });
}

function isModulePath(name: string): boolean {
  return name.startsWith('.') || isAbsolute(name) || /\.(m?js|ts)$/.test(name);
}

async function loadTargetModule(path: string, flag: string): Promise<TargetFactory[]> {
  const file = resolve(path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot load ${file}: ${(error as Error).message}`);
  }
  const exported = module['default'] ?? module['targets'];
  const list = Array.isArray(exported) ? exported : [exported];
  const broken = list.findIndex((f) => !isFactory(f));
  if (list.length === 0 || broken >= 0) {
    throw new UsageError(
      `${flag} ${path}: the module must export (default, or as \`targets\`) a target factory or a list of them: ` +
        '{ id, description, capabilities, start(env) } (see docs/writing-a-target.md)',
    );
  }
  return list as TargetFactory[];
}

function isFactory(value: unknown): value is TargetFactory {
  const f = value as Partial<TargetFactory> | undefined;
  return typeof f?.id === 'string' && /^[a-z0-9._-]+:[a-z0-9._+@-]+$/.test(f.id) && typeof f.start === 'function' &&
    typeof f.capabilities === 'object' && f.capabilities !== null && typeof f.description === 'string';
}
