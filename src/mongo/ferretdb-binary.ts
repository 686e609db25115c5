import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';

/** Where `.ci/install-ferretdb` caches the binary it builds, so a later run (and `serve`) finds it without PATH changes. */
export function ferretDbCacheBinary(env: NodeJS.ProcessEnv): string {
  const cacheRoot = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheRoot, 'ackproof', `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/** `ferretdb` on PATH, else the cached build, else undefined. */
export function findFerretDb(env: NodeJS.ProcessEnv): string | undefined {
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'ferretdb'));
  return [...onPath, ferretDbCacheBinary(env)].find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
