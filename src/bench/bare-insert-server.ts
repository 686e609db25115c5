import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openRawMessages } from '../mongo/raw-messages.js';

/**
 * Figure 2's second baseline: the least an HTTP chat server does per send, in its own process. `POST
 * /rooms/ROOM/messages` parses the JSON body, makes one `insertOne` of a message-shaped document and answers 201
 * with it: no framework, no auth, no validation, no numbering, no event. Against it the figure can tell the HTTP
 * hop's cost on this machine from the reference server's own.
 */
export class BareInsertServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly httpUrl: string,
    readonly pid: number,
  ) {}

  static start(mongoUri: string, dbName: string): Promise<BareInsertServer> {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BARE_INSERT_CHILD: '1', BARE_INSERT_URI: mongoUri, BARE_INSERT_DB: dbName },
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bare insert server exited (${code}) before ready`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        const { port } = JSON.parse(line) as { port: number };
        resolve(new BareInsertServer(child, `http://127.0.0.1:${port}`, child.pid!));
      });
    });
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

async function serveBareInserts(): Promise<void> {
  const messages = await openRawMessages({ uri: process.env.BARE_INSERT_URI!, dbName: process.env.BARE_INSERT_DB!, maxPoolSize: 100 });
  let seq = 0;
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const roomId = req.url?.split('/')[2] ?? '';
      const { clientMsgId, text } = JSON.parse(Buffer.concat(chunks).toString()) as { clientMsgId: string; text: string };
      const message = { roomId, senderId: 'bare', clientMsgId, text, seq: ++seq };
      messages.insert(message).then(
        () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ message })),
        (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) })),
      );
    });
  });
  http.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (http.address() as AddressInfo).port })}\n`));
}

if (process.env.BARE_INSERT_CHILD === '1' && process.argv[1] === fileURLToPath(import.meta.url)) void serveBareInserts();
