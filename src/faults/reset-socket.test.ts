import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSocket } from './reset-socket.js';

let server: Server | undefined;
let client: Socket | undefined;
afterEach(async () => {
  client?.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A connected pair: the accepted (server-side) socket, half-open allowed as the fault proxy's are. */
async function acceptedSocket(): Promise<Socket> {
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer({ allowHalfOpen: true }, resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server!.address() as { port: number }).port;
  client = connect({ port, host: '127.0.0.1' });
  await once(client, 'connect');
  return accepted;
}

describe('resetSocket', () => {
  it('closes a socket whose FIN is still queued (where resetAndDestroy leaks the handle: no close, ever)', async () => {
    const socket = await acceptedSocket();
    client!.on('error', () => undefined);
    const errors: string[] = [];
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    const closed = once(socket, 'close');
    socket.end();
    // end() queues its shutdown on the next tick; the reset comes right after, while libuv still holds it.
    await new Promise((resolve) => process.nextTick(resolve));
    resetSocket(socket);
    await closed;
    expect(errors).toEqual([]);
  });

  it('sends an RST to a socket that has not ended: the peer sees ECONNRESET', async () => {
    const socket = await acceptedSocket();
    const peerError = once(client!, 'error') as Promise<[NodeJS.ErrnoException]>;
    resetSocket(socket);
    const [error] = await peerError;
    expect(error.code).toBe('ECONNRESET');
  });
});
