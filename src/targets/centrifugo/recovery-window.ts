/**
 * Tells the publications Centrifugo replayed on a resubscribe from those that arrive live.
 *
 * The centrifuge SDK emits `subscribed` and then, synchronously in the same call, one `publication` event per
 * recovered publication; it dispatches the next reply (a live publication included) only after that call returned
 * and its promise settled (centrifuge-js `_setSubscribed`, `_dispatchSynchronized`). So everything delivered between
 * `open()` in the `subscribed` handler and the microtask it queues is the replay, and nothing else is.
 */
export class RecoveryWindow<T> {
  private collected: T[] | undefined;

  /** Opens the window; `close` gets what was replayed once the SDK's synchronous delivery is over. */
  open(close: (replayed: T[]) => void): void {
    const collected: T[] = [];
    this.collected = collected;
    queueMicrotask(() => {
      if (this.collected === collected) this.collected = undefined;
      close(collected);
    });
  }

  /** True if the item belongs to an open replay (and was kept); false: it is live. */
  offer(item: T): boolean {
    if (!this.collected) return false;
    this.collected.push(item);
    return true;
  }
}
