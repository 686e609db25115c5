import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DbProbeResult } from './probe-result.js';
import { parseProbeResultFor } from './probe-result-schema.js';

/** `${XDG_CACHE_HOME:-~/.cache}/ackproof/db-probe`, beside the FerretDB build `.ci/install-ferretdb` caches. */
export function probeCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'ackproof', 'db-probe');
}

/**
 * Probe results on disk, one JSON file per database identity and version (`FerretDB v1.24.2 (MongoDB 7.0.42 wire)`):
 * what a database does under concurrency is a property of its build, not of the process that reached it.
 */
export class ProbeCache {
  constructor(readonly dir: string) {}

  fileFor(database: string): string {
    return join(this.dir, `${database.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
  }

  /** The stored result for this database, or undefined (none, unreadable, or another database's). */
  read(database: string): DbProbeResult | undefined {
    let text: string;
    try {
      text = readFileSync(this.fileFor(database), 'utf8');
    } catch {
      return undefined;
    }
    return parseProbeResultFor(text, database);
  }

  /** Stores a result (write then rename, so a reader never sees half a file); throws what the file system said. */
  write(result: DbProbeResult): string {
    const file = this.fileFor(result.database);
    mkdirSync(this.dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(temp, file);
    return file;
  }
}
