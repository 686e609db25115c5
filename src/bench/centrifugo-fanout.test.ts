import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { CENTRIFUGO_MISSING, centrifugoFanout } from './centrifugo-fanout.js';

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('without the centrifugo binary, says how to install it instead of failing the figure', async () => {
  // Neither on PATH nor in a cache directory: an empty one.
  const empty = mkdtempSync(join(tmpdir(), 'ackproof-no-centrifugo-'));
  dirs.push(empty);
  vi.stubEnv('PATH', empty);
  vi.stubEnv('XDG_CACHE_HOME', empty);
  const peer = await centrifugoFanout({ room: { id: 'fanout', size: 10 }, messages: 5, concurrency: 2, textBytes: 100 });
  expect(peer.error).toBe(CENTRIFUGO_MISSING);
  expect(peer.error).toBe('Centrifugo not installed: bash .ci/install-centrifugo');
  expect(peer.deliveriesPerSecond).toBeNaN();
  expect(peer).toMatchObject({ engine: 'memory', historySize: 5 });
});
