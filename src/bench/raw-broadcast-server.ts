import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { announcePort, isBaselineChild, startBaselineProcess } from './baseline-process.js';

const CHILD_FLAG = 'RAW_BROADCAST_CHILD';

/**
 * The fan-out baseline: a bare `ws` server in its own process that does nothing but broadcast. `POST /broadcast`
 * sends the request body, as text, to every connected socket, then answers 201 — the least any chat server must
 * do per message. It answers a subscribe with `subscribed` so the same swarm can attach to it.
 */
export class RawBroadcastServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly httpUrl: string,
    readonly wsUrl: string,
    readonly pid: number,
  ) {}

  static async start(): Promise<RawBroadcastServer> {
    const { child, port } = await startBaselineProcess(import.meta.url, { [CHILD_FLAG]: '1' }, 'raw broadcast server');
    return new RawBroadcastServer(child, `http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}/ws`, child.pid!);
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

function serveRawBroadcast(): void {
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const frame = Buffer.concat(chunks).toString();
      for (const client of wss.clients) client.send(frame);
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', () => ws.send('{"type":"subscribed","rooms":[]}'))),
  );
  announcePort(http);
}

if (isBaselineChild(import.meta.url, CHILD_FLAG)) serveRawBroadcast();
