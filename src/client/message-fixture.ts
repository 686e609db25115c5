import type { Message } from '../chat/message.js';

/** A well-formed Message for tests, with the fields a test cares about overridden. */
export function messageFixture(fields: Partial<Message> & Pick<Message, 'id' | 'seq' | 'version'>): Message {
  return {
    roomId: 'general',
    senderId: 'alice',
    clientMsgId: `c-${fields.id}`,
    text: `text of ${fields.id} v${fields.version}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    ...fields,
  };
}
