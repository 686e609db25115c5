import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { ScenarioError } from './scenario-error.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** Loads scenario files, and every `*.json` in the folders given, sorted by name; duplicate names are an error. */
export async function loadScenarios(paths: string[]): Promise<LoadedScenario[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await scenarioFiles(resolve(path))));
  const loaded = await Promise.all(files.map(loadScenarioFile));
  const seen = new Map<string, string>();
  for (const { file, scenario } of loaded) {
    const earlier = seen.get(scenario.name);
    if (earlier) throw new ScenarioError(file, 'name', `"${scenario.name}" is already the name of ${earlier}`);
    seen.set(scenario.name, file);
  }
  return loaded;
}

async function scenarioFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ScenarioError(path, undefined, 'no such file or folder');
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return entries.filter((e) => extname(e) === '.json').sort().map((e) => join(path, e));
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(file, undefined, `not valid JSON: ${(error as Error).message}`);
  }
  return { file, scenario: parseScenario(raw, file) };
}

/** A scenario from parsed JSON (a file's, or one a result.json carries); `origin` names it in errors. */
export function parseScenario(raw: unknown, origin: string): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw fromZod(origin, parsed.error);
  return checkReferences(origin, parsed.data);
}

function fromZod(file: string, error: z.ZodError): ScenarioError {
  const issue = error.issues[0];
  if (!issue) return new ScenarioError(file, undefined, 'invalid');
  let path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  // zod reports an unknown key on the object that holds it; name the key itself.
  if (issue.code === 'unrecognized_keys') path = [path, ...issue.keys].filter(Boolean).join('.');
  return new ScenarioError(file, path || undefined, issue.message);
}

/**
 * Cross-field rules zod cannot say: distinct room ids, at least one command kind with weight, and a fault weight
 * when a fault is to be started and healed by the commands.
 */
function checkReferences(file: string, scenario: Scenario): Scenario {
  const rooms = new Set<string>();
  scenario.topology.rooms.forEach((room, i) => {
    if (rooms.has(room.id)) throw new ScenarioError(file, `topology.rooms[${i}].id`, `room "${room.id}" is listed twice`);
    rooms.add(room.id);
  });
  if (scenario.workload.minOps > scenario.workload.ops) {
    throw new ScenarioError(file, 'workload.minOps', `${scenario.workload.minOps} is more than workload.ops (${scenario.workload.ops})`);
  }
  const mix = scenario.workload.mix;
  if (Object.values(mix).every((w) => w === 0)) throw new ScenarioError(file, 'workload.mix', 'every weight is 0');
  const toggled = scenario.faults.find((f) => !f.always);
  if (toggled && mix.fault === 0) {
    throw new ScenarioError(file, 'workload.mix.fault', `0, so fault "${toggled.name}" would never start (give it a weight, or mark the fault "always")`);
  }
  if (toggled && [mix.send, mix.edit, mix.delete, mix.burst, mix.concurrent].every((w) => w === 0)) {
    throw new ScenarioError(file, 'workload.mix', 'no operation that writes has weight: a fault window holds sends, edits, deletes or bursts');
  }
  if (mix.fault > 0 && scenario.faults.every((f) => f.always)) {
    // Nothing to interleave; the weight is harmless but the author probably meant something else.
    mix.fault = 0;
  }
  return scenario;
}
