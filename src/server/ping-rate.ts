/**
 * Counts a client's WebSocket pings in one-second windows. Keep-alives come every few seconds (browsers send none);
 * a client over the limit is flooding, and the gateway closes it with 1008 and a reason instead of letting ws cut the
 * TCP connection without a close frame (its own guard, `maxPendingAutoPongs`, terminates: the client sees 1006).
 */
export class PingRate {
  private windowStart = 0;
  private count = 0;

  constructor(
    readonly maxPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one ping; false once the current second holds more than the limit. */
  allow(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.maxPerSecond;
  }
}
