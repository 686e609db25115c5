import type { RoomCursor } from '../chat/message.js';

/**
 * A store whose cursor reads wait at a gate while it is shut, and that says when a read is waiting: the test
 * decides the interleaving of a heartbeat round and a subscribe, instead of hoping for it.
 */
export function gatedStore() {
  let shut = false;
  const held: (() => void)[] = [];
  const arrivals: (() => void)[] = [];
  return {
    store: {
      cursor: async (roomId: string): Promise<RoomCursor> => {
        if (shut) {
          const released = new Promise<void>((resolve) => held.push(resolve));
          arrivals.splice(0).forEach((arrived) => arrived());
          await released;
        }
        return { roomId, latestSeq: 0, latestVersion: 0 };
      },
    },
    shut: () => void (shut = true),
    /** Resolves once `count` reads are waiting at the gate. */
    waiting: (count: number): Promise<void> =>
      new Promise<void>((resolve) => {
        const check = () => (held.length >= count ? resolve() : arrivals.push(check));
        check();
      }),
    open: () => {
      shut = false;
      held.splice(0).forEach((release) => release());
    },
  };
}
