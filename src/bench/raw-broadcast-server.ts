import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

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

  static start(): Promise<RawBroadcastServer> {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RAW_BROADCAST_CHILD: '1' } });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`raw broadcast server exited (${code}) before ready`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        const { port } = JSON.parse(line) as { port: number };
        resolve(new RawBroadcastServer(child, `http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}/ws`, child.pid!));
      });
    });
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
  http.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (http.address() as AddressInfo).port })}\n`));
}

if (process.env.RAW_BROADCAST_CHILD === '1' && process.argv[1] === fileURLToPath(import.meta.url)) serveRawBroadcast();
