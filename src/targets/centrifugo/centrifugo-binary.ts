import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The version `.ci/install-centrifugo` builds; the target reports what the binary says, this is where it looks. */
export const CENTRIFUGO_VERSION = '6.9.1';

/**
 * The `centrifugo` binary: on PATH (what `.ci/run` exports), else where `.ci/install-centrifugo` caches it; undefined
 * when neither has it.
 */
export function findCentrifugo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const cacheRoot = env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  const dirs = [...(env['PATH'] ?? '').split(delimiter), join(cacheRoot, 'ackproof', `centrifugo-v${CENTRIFUGO_VERSION}`)];
  for (const dir of dirs) {
    const candidate = join(dir, 'centrifugo');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}
