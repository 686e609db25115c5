import { MongoClient } from 'mongodb';

/** The commands that read or write data; handshakes, heartbeats and serverStatus itself are left out. */
const DATA_COMMANDS = ['insert', 'find', 'getMore', 'update', 'delete', 'findAndModify', 'aggregate', 'count'];

/** Data commands by name. */
export type CommandCounts = Record<string, number>;

/**
 * Counts the data commands a database server answered (`serverStatus().metrics.commands.<name>.total`, which
 * MongoDB and FerretDB both report), so a benchmark can state the round trips its writes cost the database.
 * Server-wide: meaningful while only the measured work runs against that server.
 */
export class CommandCounter {
  private constructor(private readonly client: MongoClient) {}

  static async open(uri: string): Promise<CommandCounter> {
    const client = new MongoClient(uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    return new CommandCounter(client);
  }

  async read(): Promise<CommandCounts> {
    const status = await this.client.db('admin').command({ serverStatus: 1 });
    const commands = (status.metrics?.commands ?? {}) as Record<string, { total?: unknown } | undefined>;
    const counts: CommandCounts = {};
    for (const name of DATA_COMMANDS) counts[name] = Number(commands[name]?.total ?? 0);
    return counts;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** What happened between two readings (names with no command left out). */
export function commandsBetween(before: CommandCounts, after: CommandCounts): CommandCounts {
  const made: CommandCounts = {};
  for (const [name, total] of Object.entries(after)) {
    const delta = total - (before[name] ?? 0);
    if (delta > 0) made[name] = delta;
  }
  return made;
}
