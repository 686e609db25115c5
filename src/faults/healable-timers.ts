/**
 * Timers a toxic or rule holds data behind. Healing fires every pending one at once (the held data flows on);
 * cancelling drops them (the connection is gone).
 */
export class HealableTimers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves after `ms`, or at once when healed. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Runs `action` after `ms`, or at once when healed. */
  after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      action();
    }, Math.max(0, ms));
    this.pending.set(timer, action);
  }

  /** Fire every pending action now, in the order they were scheduled. */
  fireAll(): void {
    const actions = [...this.pending];
    this.pending.clear();
    for (const [timer, action] of actions) {
      clearTimeout(timer);
      action();
    }
  }

  /** Drop every pending action without running it. */
  cancelAll(): void {
    for (const timer of this.pending.keys()) clearTimeout(timer);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
