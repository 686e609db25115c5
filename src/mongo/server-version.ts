import { MongoClient } from 'mongodb';

/** Pings a server and reads its version; FerretDB reports its own version beside the MongoDB one it emulates. */
export async function serverVersion(uri: string, timeoutMs = 2_000): Promise<string> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    const mongo = String(info.version ?? 'unknown');
    const ferret = info.ferretdbVersion ?? (info.ferretdb as { version?: string } | undefined)?.version;
    return ferret ? `FerretDB ${String(ferret)} (MongoDB ${mongo} wire)` : `MongoDB ${mongo}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Resolves once a driver ping answers, or rejects at the deadline (or as soon as `failed()` says the process died). */
export async function waitUntilPingable(uri: string, deadlineMs: number, failed: () => Error | undefined): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < until) {
    const death = failed();
    if (death) throw death;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      last = error;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`no ping answer from ${uri} within ${deadlineMs} ms`, { cause: last });
}
