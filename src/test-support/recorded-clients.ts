import { ChatClient, type ChatClientOptions } from '../client/chat-client.js';
import type { BroadcastEvent, CatchupEvent, HistoryEvent } from '../history/event.js';

/** How a client first got a message: a live broadcast, a catch-up (by its reason), or not at all. */
export type FirstReceipt = 'broadcast' | CatchupEvent['reason'] | 'never';

/**
 * Reference clients of one test run sharing a history, a clock and op ids (as the runner gives them), with the
 * demo world's `<user>-token` tokens; `closeAll()` in an afterEach/afterAll.
 */
export class RecordedClients {
  readonly history: HistoryEvent[] = [];
  private readonly clients: ChatClient[] = [];
  private readonly start = Date.now();
  private op = 0;

  client(user: string, server: { httpUrl: string; wsUrl: string }, options: Partial<ChatClientOptions> = {}): ChatClient {
    const client = new ChatClient({
      id: `${user}-${this.clients.length}`,
      userId: user,
      token: `${user}-token`,
      httpUrl: server.httpUrl,
      wsUrl: server.wsUrl,
      rooms: ['general'],
      emit: (event) => this.history.push(event),
      now: () => Date.now() - this.start,
      nextOp: () => ++this.op,
      retries: 0,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}

/** Distinct message ids a client received by live broadcast. */
export function broadcastIds(client: ChatClient): Set<string> {
  return new Set(
    client.events.filter((e): e is BroadcastEvent => e.type === 'broadcast').map((e) => e.message.id),
  );
}

/** The first way the client's recorded events brought it this message. */
export function firstReceipt(client: ChatClient, messageId: string): FirstReceipt {
  for (const event of client.events) {
    if (event.type === 'broadcast' && event.message.id === messageId) return 'broadcast';
    if (event.type === 'catchup' && event.changes.some((m) => m.id === messageId)) return event.reason;
  }
  return 'never';
}
