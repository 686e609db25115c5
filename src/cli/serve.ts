import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { ChatError } from '../chat/chat-error.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD, parseWorldSpec, type WorldSpec } from '../chat/world-spec.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { databaseRefusal, UNSAFE_DATABASE_ENV } from '../mongo/probe/database-refusal.js';
import { probeDatabase } from '../mongo/probe/probe-database.js';
import { summarizeProbe, type DatabaseProbeSummary } from '../mongo/probe/probe-summary.js';
import { resolveDatabase } from '../mongo/resolve-database.js';
import { describeWriteConcern, parseWriteConcern } from '../mongo/write-concern.js';
import { isPatternName, PATTERNS, type PatternName } from '../server/patterns/pattern-registry.js';
import { FANOUT_MODES, isFanoutMode } from '../server/fanout/fanout.js';
import { DEFAULT_SHEDDING } from '../server/load-shedder.js';
import { startServer } from '../server/start-server.js';
import { exitWith, type ExitSlot } from './command-action.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-code.js';

interface ServeOptions {
  pattern: string;
  port: string;
  host: string;
  world?: string;
  adminPort?: string;
  mongoUri?: string;
  dbName: string;
  writeConcern: string;
  heartbeatMs: string;
  outboxPollMs: string;
  json?: boolean;
  unsafeDatabase?: boolean;
  nodeId?: string;
  fanout: string;
  redisUrl?: string;
  maxInFlight: string;
  maxInFlightPerRoom: string;
  maxEventLoopDelayMs: string;
}

/**
 * `ackproof serve`: the reference chat server (DESIGN.md §2, §7) until SIGINT/SIGTERM. Ready output is human
 * lines, or with --json exactly one JSON line on stdout: {"event":"ready",...}. Logs go to stderr.
 */
export function serveCommand(slot: ExitSlot): Command {
  return new Command('serve')
    .description('run the reference chat server (HTTP + WebSocket) on a MongoDB-compatible database')
    .addOption(new Option('--pattern <name>', 'how a save reaches WebSocket clients').choices(Object.keys(PATTERNS)).default('decoupled'))
    .option('--port <n>', 'HTTP/WebSocket port (0 = a free one)', '8787')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--world <file>', 'users and rooms as JSON {"users":[{"id","token"}],"rooms":[{"id","members"}]}')
    .option('--admin-port <n>', 'enable fault points and world additions on 127.0.0.1:<n> (0 = a free port)')
    .option('--mongo-uri <uri>', 'use this MongoDB/FerretDB instead of an embedded one')
    .option('--db-name <name>', 'database name', 'ackproof')
    .option('--write-concern <wc>', 'w=1,j=true | majority | journaled | w=N,j=BOOL,wtimeout=MS', 'journaled')
    .option('--heartbeat-ms <n>', 'WebSocket heartbeat interval', '5000')
    .option('--outbox-poll-ms <n>', 'pattern outbox: how often the relay looks for pending broadcasts', '1000')
    .option('--node-id <id>', 'this node\'s name when several serve processes share a database (default: host:port)')
    .addOption(
      new Option('--fanout <mode>', 'how a save reaches members connected to other nodes: none (this node only), redis-pubsub (at most once), redis-streams (resumes after a broker outage)')
        .choices([...FANOUT_MODES])
        .default('none'),
    )
    .option('--redis-url <url>', 'the Redis the nodes share, e.g. redis://127.0.0.1:6379 (needed by --fanout redis-*)')
    .option('--max-in-flight <n>', 'load shedding: chat requests served at once, more get 503 OVERLOADED (0 = no bound)', String(DEFAULT_SHEDDING.maxInFlight))
    .option('--max-in-flight-per-room <n>', 'load shedding: writes queued on one room (0 = no bound)', String(DEFAULT_SHEDDING.maxInFlightPerRoom))
    .option('--max-event-loop-delay-ms <n>', 'load shedding: event-loop p99 delay above which requests are refused (0 = no bound)', String(DEFAULT_SHEDDING.maxEventLoopDelayMs))
    .option('--json', 'print one JSON line {"event":"ready",...} when ready')
    .addOption(
      new Option('--unsafe-database', 'run even on a database that breaks a property the store needs (see `ackproof probe-db`); marked UNSAFE')
        .env(UNSAFE_DATABASE_ENV),
    )
    .action(exitWith(slot, (options: ServeOptions) => serve(options)));
}

async function serve(options: ServeOptions): Promise<ExitCodeValue> {
  const pattern = options.pattern;
  if (!isPatternName(pattern)) throw new UsageError(`--pattern: unknown pattern "${pattern}"`);
  const port = portOption('--port', options.port);
  const adminPort = options.adminPort === undefined ? undefined : portOption('--admin-port', options.adminPort);
  const heartbeatMs = integerOption('--heartbeat-ms', options.heartbeatMs, 10);
  const outboxPollMs = integerOption('--outbox-poll-ms', options.outboxPollMs, 10);
  const shedding = {
    maxInFlight: integerOption('--max-in-flight', options.maxInFlight, 0),
    maxInFlightPerRoom: integerOption('--max-in-flight-per-room', options.maxInFlightPerRoom, 0),
    maxEventLoopDelayMs: integerOption('--max-event-loop-delay-ms', options.maxEventLoopDelayMs, 0),
  };
  const writeConcern = parseWriteConcern(options.writeConcern) ?? badOption('--write-concern', options.writeConcern);
  if (!/^[a-zA-Z0-9_-]{1,63}$/.test(options.dbName)) badOption('--db-name', options.dbName);
  const world = new World(options.world ? await readWorld(options.world) : DEMO_WORLD);
  const fanoutMode = options.fanout;
  if (!isFanoutMode(fanoutMode)) badOption('--fanout', fanoutMode);
  if (fanoutMode !== 'none' && !options.redisUrl) throw new UsageError(`--fanout ${fanoutMode} needs --redis-url redis://HOST:PORT`);
  if (options.nodeId !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(options.nodeId)) badOption('--node-id', options.nodeId);
  const nodeId = options.nodeId ?? `${options.host}:${port}`;

  const log = (line: string) => process.stderr.write(`ackproof serve: ${line}\n`);
  const database = await resolveDatabase({ mongoUri: options.mongoUri, log });
  let store: MongoMessageStore | undefined;
  try {
    const probe = await probeDatabase(database, { log });
    const probeSummary = summarizeProbe(probe, { patterns: [pattern], unsafeAllowed: options.unsafeDatabase === true });
    const refusal = databaseRefusal(probeSummary);
    if (refusal) throw new UsageError(refusal);
    log(`database ${database.kind}: ${database.version}, ${probeSummary.sentence}`);
    store = await MongoMessageStore.open({ uri: database.uri, dbName: options.dbName, writeConcern }).catch((error: unknown) => {
      throw new UsageError(`cannot open database "${options.dbName}" on ${database.description}: ${(error as Error).message}`);
    });
    const server = await startServer({
      pattern: pattern as PatternName,
      store,
      world,
      database: { kind: database.kind, version: database.version, probe: probeSummary },
      writeConcern: describeWriteConcern(writeConcern),
      host: options.host,
      port,
      adminPort,
      heartbeatMs,
      outbox: { pollMs: outboxPollMs },
      ...(fanoutMode !== 'none' || options.nodeId !== undefined
        ? { fanout: { mode: fanoutMode, nodeId, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) } }
        : {}),
      shedding,
      log,
    }).catch((error: unknown) => {
      if (/^fanout /.test((error as Error).message)) throw new UsageError(`${(error as Error).message} (start redis-server, or check --redis-url)`);
      throw error;
    });
    const ready = {
      event: 'ready',
      pattern,
      http: server.httpUrl,
      ws: server.wsUrl,
      admin: server.adminUrl,
      database: { kind: database.kind, version: database.version, probe: probeSummary },
      writeConcern: describeWriteConcern(writeConcern),
      node: nodeId,
      fanout: fanoutMode,
      pid: process.pid,
    };
    process.stdout.write(options.json ? `${JSON.stringify(ready)}\n` : readyText(ready, options.world ? undefined : DEMO_WORLD));
    const signal = await nextSignal();
    log(`${signal}: stopping (draining the event bus, closing sockets)`);
    await server.close();
    return ExitCode.Valid;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
      throw new UsageError(`cannot listen: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    await store?.close().catch(() => undefined);
    await database.stop();
  }
}

function readyText(
  ready: { http: string; ws: string; admin: string | null; pattern: string; node: string; fanout: string; database: { kind: string; version: string; probe: DatabaseProbeSummary }; writeConcern: string },
  demo?: WorldSpec,
): string {
  const lines = [
    `ackproof reference server ready (pattern ${ready.pattern})`,
    `  http   ${ready.http}`,
    `  ws     ${ready.ws}`,
    `  admin  ${ready.admin ?? 'off (start with --admin-port N)'}`,
    `  node   ${ready.node}, fan-out ${ready.fanout}`,
    `  db     ${ready.database.kind}: ${ready.database.version}, write concern ${ready.writeConcern}`,
    `         ${ready.database.probe.sentence}`,
  ];
  if (demo) {
    lines.push('  demo world (no --world given):');
    for (const user of demo.users) lines.push(`    user ${user.id.padEnd(6)} token ${user.token}`);
    for (const room of demo.rooms) lines.push(`    room ${room.id.padEnd(8)} members ${room.members.join(', ')}`);
  }
  lines.push('  Ctrl-C stops it.');
  return `${lines.join('\n')}\n`;
}

async function readWorld(file: string): Promise<WorldSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--world ${file}: cannot read it (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--world ${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = parseWorldSpec(json);
  if (!parsed.ok) throw new UsageError(`--world ${file}: ${parsed.error}`);
  try {
    new World(parsed.spec);
  } catch (error) {
    if (error instanceof ChatError) throw new UsageError(`--world ${file}: ${error.message}`);
    throw error;
  }
  return parsed.spec;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function portOption(name: string, value: string): number {
  const n = integerOption(name, value, 0);
  if (n > 65535) badOption(name, value);
  return n;
}

function integerOption(name: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) badOption(name, value);
  return Number(value);
}

function badOption(name: string, value: string): never {
  throw new UsageError(`${name}: invalid value "${value}"`);
}
