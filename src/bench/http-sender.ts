import { Agent, request } from 'node:http';

export interface SendReply {
  status: number;
  body: string;
}

/**
 * The load generator's HTTP side: keep-alive connections (as a real client pool would), plain node:http so the
 * generator spends little CPU per request on this shared machine.
 */
export class HttpSender {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, token: string | undefined, body: unknown): Promise<SendReply> {
    return this.call('POST', path, token, typeof body === 'string' ? body : JSON.stringify(body));
  }

  get(path: string): Promise<SendReply> {
    return this.call('GET', path, undefined, undefined);
  }

  private call(method: string, path: string, token: string | undefined, payload: string | undefined): Promise<SendReply> {
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends one chat message; resolves only on an acknowledgement (2xx), else rejects naming the answer. */
  async sendMessage(roomId: string, token: string, clientMsgId: string, text: string): Promise<void> {
    const reply = await this.post(`/rooms/${roomId}/messages`, token, { clientMsgId, text });
    if (reply.status !== 201 && reply.status !== 200) {
      throw new Error(`send to ${roomId} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
