import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { openRawMessages } from '../mongo/raw-messages.js';
import { announcePort, isBaselineChild, startBaselineProcess } from './baseline-process.js';

const CHILD_FLAG = 'BARE_INSERT_CHILD';

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

  static async start(mongoUri: string, dbName: string): Promise<BareInsertServer> {
    const env = { [CHILD_FLAG]: '1', BARE_INSERT_URI: mongoUri, BARE_INSERT_DB: dbName };
    const { child, port } = await startBaselineProcess(import.meta.url, env, 'bare insert server');
    return new BareInsertServer(child, `http://127.0.0.1:${port}`, child.pid!);
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
  announcePort(http);
}

if (isBaselineChild(import.meta.url, CHILD_FLAG)) void serveBareInserts();
