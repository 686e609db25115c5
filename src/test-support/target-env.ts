import type { TargetClientSpec, TargetEnv } from '../harness/sut/target.js';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import type { FaultEvent, HistoryEvent } from '../history/event.js';
import type { Database } from '../mongo/database.js';
import { TempDir } from '../proc/temp-dir.js';
import { mongoUri, uniqueDatabaseName } from './test-database.js';

/**
 * A TargetEnv as the runner would hand a factory one, for a target's own tests: a shipped scenario, the test run's
 * database (given as a URI: targets that do not use one ignore it), a temp dir and the server-side events it emitted.
 */
export async function testTargetEnv(label: string, scenarioFile = 'scenarios/baseline.json'): Promise<{ env: TargetEnv; serverEvents: Omit<FaultEvent, 'time'>[]; dir: TempDir }> {
  const { scenario } = await loadScenarioFile(scenarioFile);
  const uri = mongoUri();
  const database: Database = { kind: 'uri', uri, version: 'the test run database', description: `test database ${uri}`, stop: async () => undefined };
  const dir = TempDir.create('ackproof-target-test-');
  const serverEvents: Omit<FaultEvent, 'time'>[] = [];
  const env: TargetEnv = { scenario, database, dbName: uniqueDatabaseName(label), dir: dir.path, emit: (event) => serverEvents.push(event) };
  return { env, serverEvents, dir };
}

/** A client spec the way the runner fills one, recording into `events`; override what a test needs. */
export function testClientSpec(
  id: string,
  userId: string,
  rooms: readonly string[],
  events: HistoryEvent[],
  overrides: Partial<TargetClientSpec> = {},
): TargetClientSpec {
  const started = Date.now();
  let op = 0;
  return {
    id,
    userId,
    rooms,
    emit: (event) => events.push(event),
    now: () => Date.now() - started,
    nextOp: () => ++op,
    requestTimeoutMs: 5_000,
    retries: 2,
    retryBackoffMs: 50,
    gapFill: true,
    idleTimeoutMs: 0,
    ...overrides,
  };
}
