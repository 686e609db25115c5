import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultEvent } from '../../history/event.js';
import { freePort } from '../../net/free-port.js';
import { TempDir } from '../../proc/temp-dir.js';
import { findCentrifugo } from './centrifugo-binary.js';
import { CentrifugoProcess } from './centrifugo-process.js';
import { CentrifugoSupervisor } from './centrifugo-supervisor.js';

const binary = findCentrifugo();
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const part of open.splice(0).reverse()) await part.close().catch(() => undefined);
});

async function supervised() {
  const dir = TempDir.create('ackproof-centrifugo-test-');
  open.push({ close: async () => dir.remove() });
  const node = await CentrifugoProcess.start(dir.path, {
    port: await freePort(),
    apiKey: randomBytes(8).toString('hex'),
    hmacSecret: randomBytes(16).toString('hex'),
    engine: 'memory',
    historySize: 10,
    historyTtlSeconds: 60,
    pingIntervalMs: 1_000,
    positionCheckMs: 1_000,
  });
  const records: Omit<FaultEvent, 'time'>[] = [];
  const supervisor = new CentrifugoSupervisor(node, (event) => records.push(event));
  open.push({ close: () => supervisor.stop() });
  return { node, supervisor, records };
}

describe.skipIf(!binary)('CentrifugoSupervisor (skipped without the centrifugo binary: bash .ci/install-centrifugo)', () => {
  it('records a death it did not cause as server.crash, restarts the node on its port and records the heal', async () => {
    const { node, supervisor, records } = await supervised();
    const died = node.exited;
    process.kill(node.pid!, 'SIGKILL');
    await died;
    await supervisor.whenUp();
    expect(records.map((r) => `${r.fault} ${r.phase}`)).toEqual(['server.crash start', 'server.crash heal']);
    expect((await node.api(2_000).info()).status).toBe('ok');
  });

  it('crash() (the runner\'s server.crash) kills and restarts without recording: the runner records it', async () => {
    const { node, supervisor, records } = await supervised();
    const before = node.pid;
    await supervisor.crash();
    expect(node.pid).not.toBe(before);
    expect(node.running).toBe(true);
    expect(records).toEqual([]);
  });
});
