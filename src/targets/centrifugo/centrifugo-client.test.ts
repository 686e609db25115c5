import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../client/client-errors.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import type { CompleteEvent, HistoryEvent } from '../../history/event.js';
import { freePort } from '../../net/free-port.js';
import { startTestCentrifugo } from '../../test-support/centrifugo-node.js';
import { testClientSpec } from '../../test-support/target-env.js';
import { findCentrifugo } from './centrifugo-binary.js';
import { CentrifugoClient } from './centrifugo-client.js';
import { roomChannel } from './centrifugo-config.js';
import { connectionToken } from './connection-token.js';
import { CentrifugoServerApi } from './server-api.js';

const binary = findCentrifugo();
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const part of open.splice(0).reverse()) await part.close().catch(() => undefined);
});

const startNode = () => startTestCentrifugo(open);

describe.skipIf(!binary)('CentrifugoClient against a real node (skipped without the centrifugo binary: bash .ci/install-centrifugo)', () => {
  it('retries a send whose answer was lost with the same idempotency key: one publication, acked with its offset', async () => {
    const { node, hmacSecret } = await startNode();
    // The server API behind a proxy that lets the first publish reach Centrifugo and loses its answer.
    const apiProxy = await TcpProxy.start({ name: 'api', upstream: { host: '127.0.0.1', port: node.config.port } });
    open.push(apiProxy);
    apiProxy.addToxic({ name: 'lost', type: 'response_lost', stream: 'downstream', attributes: { count: 1, match: ['/api/publish'] } });
    const events: HistoryEvent[] = [];
    const client = new CentrifugoClient({
      spec: testClientSpec('alice', 'alice', ['r1'], events),
      route: { host: '127.0.0.1', port: node.config.port, node: 0, label: 'alice' },
      token: connectionToken('alice', hmacSecret),
      api: new CentrifugoServerApi(`http://127.0.0.1:${apiProxy.listenPort}`, node.config.apiKey, 5_000),
    });
    open.push(client);

    const result = await client.send('r1', 'hello');
    const completes = events.filter((e): e is CompleteEvent => e.type === 'complete');
    expect(completes.map((c) => c.status)).toEqual(['info', 'ok']);
    const invokes = events.filter((e) => e.type === 'invoke');
    expect(new Set(invokes.map((e) => e.type === 'invoke' && e.clientMsgId)).size).toBe(1);
    expect(result).toMatchObject({ status: 'ok', message: { seq: 1, text: 'hello' } });
    // The attempt whose answer was lost may have been the creator: the ok does not claim it created the message.
    expect(completes[1]!.httpStatus).toBe(200);

    const history = await node.api(5_000).history(roomChannel('r1'));
    expect(history.status === 'ok' && history.value.publications.map((p) => p.offset)).toEqual([1]);
    // The check above can fail: the same data published under another key is stored again.
    await node.api(5_000).publish(roomChannel('r1'), { senderId: 'alice', clientMsgId: 'x', text: 'hello' }, 'another-key');
    const after = await node.api(5_000).history(roomChannel('r1'));
    expect(after.status === 'ok' && after.value.publications.length).toBe(2);
  });

  it('a publish repeated with one idempotency key answers with the first position and stores it once', async () => {
    const { node } = await startNode();
    const api = node.api(5_000);
    const first = await api.publish(roomChannel('r1'), { n: 1 }, 'k1');
    const again = await api.publish(roomChannel('r1'), { n: 1 }, 'k1');
    const other = await api.publish(roomChannel('r1'), { n: 2 }, 'k2');
    expect(first.status === 'ok' && again.status === 'ok' && other.status === 'ok').toBe(true);
    if (first.status !== 'ok' || again.status !== 'ok' || other.status !== 'ok') return;
    expect(again.value).toEqual(first.value);
    expect(other.value.offset).toBe(first.value.offset + 1);
    const history = await api.history(roomChannel('r1'));
    expect(history.status === 'ok' && history.value.publications.map((p) => p.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a connection token signed with another secret is refused: connect fails instead of pretending', async () => {
    const { node } = await startNode();
    const client = new CentrifugoClient({
      spec: testClientSpec('mallory', 'mallory', ['r1'], [], { requestTimeoutMs: 1_500 }),
      route: { host: '127.0.0.1', port: node.config.port, node: 0, label: 'mallory' },
      token: connectionToken('mallory', 'not-the-secret'),
      api: node.api(5_000),
    });
    open.push(client);
    await expect(client.connect()).rejects.toBeInstanceOf(ConnectError);
    expect(client.connected).toBe(false);
  });

  it('calls a wrong API key and a closed port refused (not applied), never ok', async () => {
    const { node } = await startNode();
    const wrongKey = new CentrifugoServerApi(node.url, 'wrong', 5_000);
    const refused = await wrongKey.publish(roomChannel('r1'), { n: 1 }, 'k');
    expect(refused).toMatchObject({ status: 'refused', httpStatus: 401 });
    const nobody = new CentrifugoServerApi(`http://127.0.0.1:${await freePort()}`, 'k', 1_000);
    expect(await nobody.publish(roomChannel('r1'), { n: 1 }, 'k')).toMatchObject({ status: 'refused', error: { code: 'CONNECTION_REFUSED' } });
  });
});
