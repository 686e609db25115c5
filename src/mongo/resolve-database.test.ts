import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from './database-unavailable-error.js';
import { resolveDatabase } from './resolve-database.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';

describe('resolveDatabase', () => {
  it('uses an explicit URI first and reports the server version', async () => {
    const lines: string[] = [];
    const db = await resolveDatabase({ mongoUri: mongoUri(), env: {}, log: (l) => lines.push(l) });
    expect(db.kind).toBe('uri');
    expect(db.version).toMatch(/MongoDB|FerretDB/);
    expect(lines.join('\n')).toContain('--mongo-uri');
    const client = await new MongoClient(db.uri).connect();
    await client.db(uniqueDatabaseName('resolver')).collection('c').insertOne({ a: 1 });
    await client.close();
    await db.stop();
  });

  it('fails fast with the ways to provide a database when nothing is available offline', async () => {
    const started = Date.now();
    const error = await resolveDatabase({
      env: { PATH: '/nonexistent', HOME: '/nonexistent', MONGOMS_RUNTIME_DOWNLOAD: 'false', MONGOMS_DOWNLOAD_DIR: '/nonexistent' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/MONGODB_URI/);
    expect((error as Error).message).toMatch(/ferretdb/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('names the URI it could not reach', async () => {
    const error = await resolveDatabase({ mongoUri: 'mongodb://127.0.0.1:1/', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toContain('127.0.0.1:1');
  });
});
