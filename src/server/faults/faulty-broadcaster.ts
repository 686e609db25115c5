import { setTimeout as sleep } from 'node:timers/promises';
import type { Broadcaster } from '../../chat/broadcaster.port.js';
import type { MessageEvent } from '../../chat/message-event.js';
import type { FaultPoints } from './fault-points.js';

export class BroadcastFaultError extends Error {
  override readonly name = 'BroadcastFaultError';
}

/** The real broadcaster behind the broadcast.delay and broadcast.throw fault points (a slow or failing gateway). */
export class FaultyBroadcaster implements Broadcaster {
  constructor(
    private readonly inner: Broadcaster,
    private readonly faults: FaultPoints,
  ) {}

  async broadcast(event: MessageEvent): Promise<void> {
    const delay = this.faults.broadcastDelayMs();
    if (delay > 0) await sleep(delay);
    if (this.faults.broadcastShouldThrow()) {
      throw new BroadcastFaultError(`broadcast.throw: injected failure broadcasting ${event.type} ${event.message.id}`);
    }
    await this.inner.broadcast(event);
  }
}
