import type { MessageEvent } from '../../chat/message-event.js';

/** An event on the broker, with the node that published it. */
export interface FanoutEnvelope {
  node: string;
  event: MessageEvent;
}

const TYPES = new Set(['message.created', 'message.edited', 'message.deleted']);

export function encodeEnvelope(envelope: FanoutEnvelope): string {
  return JSON.stringify(envelope);
}

/** The envelope, or null for anything else on the channel (another program's, or a corrupt entry): skipped, not fatal. */
export function decodeEnvelope(text: string): FanoutEnvelope | null {
  try {
    const value = JSON.parse(text) as Partial<FanoutEnvelope>;
    const message = value.event?.message;
    if (typeof value.node !== 'string' || !TYPES.has(String(value.event?.type))) return null;
    if (typeof message?.id !== 'string' || typeof message.roomId !== 'string' || !Number.isSafeInteger(message.version)) return null;
    return value as FanoutEnvelope;
  } catch {
    return null;
  }
}
