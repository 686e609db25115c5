/** Thrown by `connect()` when the socket cannot be opened or subscribed. */
export class ConnectError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ConnectError';
    this.code = code;
  }
}

/** The client was closed for good; nothing more can be done with it. */
export class ClientClosedError extends Error {
  readonly code = 'CLIENT_CLOSED';
  constructor(clientId: string) {
    super(`client ${clientId} is closed`);
    this.name = 'ClientClosedError';
  }
}
