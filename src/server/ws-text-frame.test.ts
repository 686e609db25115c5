import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { wsTextFrame } from './ws-text-frame.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

it('is read by a real ws client as the same text, at each length encoding (7-bit, 16-bit, 64-bit)', async () => {
  const texts = ['hé', 'x'.repeat(200), 'y'.repeat(70_000)];
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer();
  http.on('upgrade', (req, socket: Duplex, head) =>
    wss.handleUpgrade(req, socket, head, () => texts.forEach((t) => socket.write(wsTextFrame(t)))),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => http.close());
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  cleanups.push(() => client.terminate());
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      received.push(data.toString());
      if (received.length === texts.length) resolve();
    });
  });
  expect(received).toEqual(texts);
});
