import type { FaultName } from '../scenario/fault-name.js';
import type { SendInput, TextShape } from './client-input.js';

/**
 * What the generated commands act on during one property run: the clients, the nemesis and the server, behind
 * plain calls. The runner implements it over the wire; commands never see sockets or processes.
 */
export interface RunWorld {
  /** A send; without `input`, a plain text and a fresh clientMsgId. */
  send(clientId: string, roomId: string, input?: SendInput): Promise<void>;
  /** Edit the `pick`-th (mod count) message this client sent and got acknowledged; no-op when it has none. */
  edit(clientId: string, pick: number, text?: TextShape): Promise<void>;
  delete(clientId: string, pick: number): Promise<void>;
  /** `size` concurrent sends, spread over the members round-robin from `offset`. */
  burst(size: number, offset: number): Promise<void>;
  /**
   * Several clients at once, each running its own operations in order (a chain per client, the chains side by
   * side): sends, and edits and deletes of its own acknowledged messages as they are when the operation starts.
   */
  concurrently(ops: readonly ConcurrentOp[]): Promise<void>;
  /** Drop the client's connection (cleanly) and reconnect, catching up. */
  reconnect(clientId: string): Promise<void>;
  startFault(fault: FaultInstance): Promise<void>;
  healFault(fault: FaultInstance): Promise<void>;
}

/**
 * One operation of a concurrent burst. An edit or delete takes the client's `pick`-th newest acknowledged message
 * (mod count; 0 = the newest): recent messages are the ones a server is still working on.
 */
export type ConcurrentOp =
  | { clientId: string; kind: 'send'; roomId: string; input?: SendInput }
  | { clientId: string; kind: 'edit'; pick: number; text?: TextShape }
  | { clientId: string; kind: 'delete'; pick: number };

/** A fault as the generator chose it: which, on whom (a client id for `ws.*`), with what parameters. */
export interface FaultInstance {
  name: FaultName;
  target?: string;
  params: Record<string, unknown>;
}

export function faultKey(fault: Pick<FaultInstance, 'name' | 'target'>): string {
  return fault.target ? `${fault.name}@${fault.target}` : fault.name;
}
