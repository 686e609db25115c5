import type { MessageEvent } from '../../chat/message-event.js';
import type { MessageSavedHandler } from '../../chat/message-saved-handler.port.js';
import type { FaultPoints } from './fault-points.js';

/** Puts the crash.afterSave fault point between the save and the pattern's publish/broadcast. */
export class CrashAfterSave implements MessageSavedHandler {
  constructor(
    private readonly inner: MessageSavedHandler,
    private readonly faults: FaultPoints,
    private readonly crash: () => never,
  ) {}

  async handle(event: MessageEvent): Promise<void> {
    if (this.faults.crashAfterSave()) this.crash();
    await this.inner.handle(event);
  }
}
