import { randomBytes } from 'node:crypto';
import { freePort } from '../net/free-port.js';
import { TempDir } from '../proc/temp-dir.js';
import type { CentrifugoConfigOptions } from '../targets/centrifugo/centrifugo-config.js';
import { CentrifugoProcess } from '../targets/centrifugo/centrifugo-process.js';

/**
 * A Centrifugo node (memory engine) of a test's own, in a temp dir, on a free port, with a fresh API key and token
 * secret; `open` gets what to close after the test (the node, then the dir). Fast pings and position checks by
 * default, so a test notices a dead link within its time; override what a test needs.
 */
export async function startTestCentrifugo(
  open: { close(): Promise<unknown> }[],
  overrides: Partial<CentrifugoConfigOptions> = {},
): Promise<{ node: CentrifugoProcess; hmacSecret: string }> {
  const dir = TempDir.create('ackproof-centrifugo-test-');
  open.push({ close: async () => dir.remove() });
  const hmacSecret = randomBytes(16).toString('hex');
  const node = await CentrifugoProcess.start(dir.path, {
    port: await freePort(),
    apiKey: randomBytes(8).toString('hex'),
    hmacSecret,
    engine: 'memory',
    historySize: 100,
    historyTtlSeconds: 300,
    pingIntervalMs: 1_000,
    positionCheckMs: 1_000,
    ...overrides,
  });
  open.push({ close: () => node.stop() });
  return { node, hmacSecret };
}
