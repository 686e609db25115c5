import type { KeyChoice, SendInput, TextShape } from './client-input.js';

/**
 * One run's inputs as strings: the text of each send and edit, unique in the run (the checker tells writes apart by
 * their text), shaped as the generator drew it; and the clientMsgId a send reuses, from the keys sent so far.
 */
export class RunInputs {
  private texts = 0;
  /** Every key a send used (whatever its outcome: a real client reuses a key whose send failed just as well). */
  private readonly sent: { clientId: string; roomId: string; clientMsgId: string }[] = [];

  constructor(private readonly runIndex: number) {}

  /**
   * `alice #3 (run 0)` (`… (edited)` for an edit), with the shape's piece before it, or filled (after it) to the
   * shape's length.
   */
  text(clientId: string, shape: TextShape = { kind: 'plain' }, edited = false): string {
    const unique = `${clientId} #${++this.texts} (run ${this.runIndex})${edited ? ' (edited)' : ''}`;
    switch (shape.kind) {
      case 'plain':
        return unique;
      case 'long':
        return `${unique} ${shape.fill.repeat(Math.max(0, shape.length - unique.length - 1))}`;
      default:
        return `${shape.piece} ${unique}`;
    }
  }

  /** The clientMsgId a send to `roomId` reuses, or undefined for a fresh one (also when there is none to reuse). */
  key(clientId: string, roomId: string, choice: KeyChoice): string | undefined {
    if (choice.kind === 'fresh') return undefined;
    const candidates = this.sent.filter((s) => {
      if (choice.kind === 'other-user') return s.clientId !== clientId;
      if (s.clientId !== clientId) return false;
      return choice.kind === 'other-room' ? s.roomId !== roomId : s.roomId === roomId;
    });
    const keys = [...new Set(candidates.map((s) => s.clientMsgId))];
    return keys.length > 0 ? keys[choice.pick % keys.length] : undefined;
  }

  /** The text and key of a send. */
  send(clientId: string, roomId: string, input: SendInput): { text: string; clientMsgId: string | undefined } {
    return { text: this.text(clientId, input.text), clientMsgId: this.key(clientId, roomId, input.key) };
  }

  /** Remembers a send's key, for later sends to reuse. */
  used(clientId: string, roomId: string, clientMsgId: string): void {
    this.sent.push({ clientId, roomId, clientMsgId });
  }
}
