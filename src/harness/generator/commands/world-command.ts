import type { AsyncCommand } from 'fast-check';
import type { RunModel } from '../run-model.js';
import type { ConcurrentOp, RunWorld } from '../run-world.js';
import { describeInput, type SendInput, type TextShape } from '../client-input.js';

/**
 * A client operation (send, edit, delete, burst, reconnect): always applicable, it only acts on the world. Its label
 * is what a shrunk counterexample prints, e.g. `alice sends to general`.
 */
export class WorldCommand implements AsyncCommand<RunModel, RunWorld> {
  constructor(
    private readonly label: string,
    private readonly act: (world: RunWorld) => Promise<void>,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: RunModel, world: RunWorld): Promise<void> {
    model.ran.push(this.label);
    await this.act(world);
  }
  toString(): string {
    return this.label;
  }
}

export const send = (clientId: string, roomId: string, input?: SendInput) =>
  new WorldCommand(`${clientId} sends to ${roomId}${input ? describeInput(input) : ''}`, (w) => w.send(clientId, roomId, input));
export const edit = (clientId: string, pick: number, text?: TextShape) =>
  new WorldCommand(`${clientId} edits own message #${pick}${text ? describeInput({ text }) : ''}`, (w) => w.edit(clientId, pick, text));
export const remove = (clientId: string, pick: number) =>
  new WorldCommand(`${clientId} deletes own message #${pick}`, (w) => w.delete(clientId, pick));
export const burst = (size: number, offset: number) =>
  new WorldCommand(`burst of ${size} concurrent sends`, (w) => w.burst(size, offset));
export const reconnect = (clientId: string) =>
  new WorldCommand(`${clientId} reconnects`, (w) => w.reconnect(clientId));
export const concurrently = (ops: readonly ConcurrentOp[]) =>
  new WorldCommand(`concurrently: ${describeChains(ops)}`, (w) => w.concurrently(ops));

/** `alice sends to general, edits own newest #0; bob deletes own newest #2`: each client's chain in order. */
function describeChains(ops: readonly ConcurrentOp[]): string {
  const chains = new Map<string, string[]>();
  for (const op of ops) {
    const step =
      op.kind === 'send'
        ? `sends to ${op.roomId}${op.input ? describeInput(op.input) : ''}`
        : op.kind === 'edit'
          ? `edits own newest #${op.pick}${op.text ? describeInput({ text: op.text }) : ''}`
          : `deletes own newest #${op.pick}`;
    chains.set(op.clientId, [...(chains.get(op.clientId) ?? []), step]);
  }
  return [...chains].map(([client, steps]) => `${client} ${steps.join(', ')}`).join('; ');
}
