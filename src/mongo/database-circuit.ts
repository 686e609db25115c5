import type { ConnectionCheckOutFailedEvent, MongoClient, ServerDescriptionChangedEvent } from 'mongodb';

/** Thrown instead of sending a command while the circuit is open: nothing left this process (not_applied). */
export class DatabaseCircuitOpenError extends Error {
  override readonly name = 'DatabaseCircuitOpenError';
}

/**
 * Knows when the driver knows the database is down, so requests fail at once instead of each waiting out the
 * driver's server selection (which a room's writes, run one at a time, would wait out one after another: ten queued
 * sends took 30 s). It listens to the driver's monitoring events: a server described as Unknown *with an error* (a
 * failed heartbeat, or a network error on a command), a cleared connection pool, or a new connection that could not
 * be made opens the circuit; a successful heartbeat or a description of a reachable server closes it. While it is
 * open the driver's monitor keeps checking (every `heartbeatFrequencyMS`), so the first successful heartbeat lets
 * requests through again. Before the first heartbeat nothing is known, so it starts closed.
 */
export class DatabaseCircuit {
  private openReason: string | undefined;

  constructor(client: MongoClient) {
    client.on('serverDescriptionChanged', (event: ServerDescriptionChangedEvent) => {
      const next = event.newDescription;
      if (next.type === 'Unknown') {
        if (next.error) this.openReason = `${next.error.name}: ${next.error.message.split('\n')[0]}`;
      } else {
        this.openReason = undefined;
      }
    });
    client.on('connectionPoolCleared', () => (this.openReason ??= 'the connection pool was cleared after a network error'));
    client.on('connectionCheckOutFailed', (event: ConnectionCheckOutFailedEvent) => {
      if (event.reason === 'connectionError') this.openReason ??= 'a new connection to the database failed';
    });
    client.on('serverHeartbeatSucceeded', () => (this.openReason = undefined));
    client.on('topologyClosed', () => (this.openReason = 'the database client is closed'));
  }

  /** Why the database is known to be unreachable, or undefined when it is not known to be. */
  unavailable(): string | undefined {
    return this.openReason;
  }

  /**
   * The collection, with every method call refused while the circuit is open (a DatabaseCircuitOpenError thrown
   * before the driver is called). The store's error mapping turns that into `not_applied`: no command was sent.
   */
  guard<T extends object>(collection: T): T {
    return new Proxy(collection, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const reason = this.openReason;
          if (reason !== undefined) throw new DatabaseCircuitOpenError(`database known to be unreachable (${reason})`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}
