import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus.js';

/** A listener that holds each delivery until released, so the test controls what is running. */
function gate() {
  const releases: (() => void)[] = [];
  const listener = () => new Promise<void>((resolve) => releases.push(resolve));
  return { listener, releaseAll: () => releases.splice(0).forEach((r) => r()), started: () => releases.length };
}

describe('EventBus', () => {
  it('runs core deliveries, queues up to capacity, grows to max, then rejects and counts', async () => {
    const held = gate();
    const bus = new EventBus<number>({ coreConcurrency: 1, capacity: 2, maxConcurrency: 2 });
    bus.subscribe('held', held.listener);
    const rejected = [1, 2, 3, 4, 5].map((n) => bus.publish(n));
    // 1 runs (core), 2 and 3 wait, 4 runs (max), 5 is rejected.
    expect(rejected).toEqual([0, 0, 0, 0, 1]);
    expect(bus.counters()).toEqual({ queued: 4, running: 2, rejected: 1, failed: 0, delivered: 0 });
    while (bus.counters().delivered < 4) {
      held.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await bus.drain();
    expect(bus.counters()).toEqual({ queued: 0, running: 0, rejected: 1, failed: 0, delivered: 4 });
  });

  it('isolates listeners: one throwing affects neither the other nor the publisher', async () => {
    const got: number[] = [];
    const logs: string[] = [];
    const bus = new EventBus<number>({ log: (line) => logs.push(line) });
    bus.subscribe('broken', () => {
      throw new Error('boom');
    });
    bus.subscribe('fine', (n) => {
      got.push(n);
    });
    expect(bus.publish(7)).toBe(0);
    await bus.drain();
    expect(got).toEqual([7]);
    expect(bus.counters()).toMatchObject({ failed: 1, delivered: 1 });
    expect(logs.join('\n')).toContain('listener broken failed: boom');
  });

  it('rejects everything while its rejectWhen gate says so', async () => {
    let saturated = true;
    const bus = new EventBus<number>({ rejectWhen: () => saturated });
    bus.subscribe('l', () => undefined);
    expect(bus.publish(1)).toBe(1);
    saturated = false;
    expect(bus.publish(2)).toBe(0);
    await bus.drain();
    expect(bus.counters()).toMatchObject({ rejected: 1, delivered: 1 });
  });

  it('never runs a listener inside publish: the publisher finishes its turn first', async () => {
    const order: string[] = [];
    const bus = new EventBus<number>();
    bus.subscribe('sync', (n) => void order.push(`listener ${n}`));
    bus.publish(1);
    order.push('publisher continues');
    await Promise.resolve();
    order.push('publisher replies');
    await bus.drain();
    expect(order).toEqual(['publisher continues', 'publisher replies', 'listener 1']);
  });
});
