import { expect, it } from 'vitest';
import { idempotencyKey, messageId, publicationMessage } from './publication-message.js';

const data = { senderId: 'alice', clientMsgId: 'c-1', text: 'hi', createdAt: '2026-12-02T10:00:00.000Z' };

it('maps a chat publication to a Message whose seq and version are its offset and whose id names room, sender and clientMsgId', () => {
  expect(publicationMessage('r1', 7, data)).toEqual({
    id: 'r1/alice/c-1',
    roomId: 'r1',
    senderId: 'alice',
    clientMsgId: 'c-1',
    text: 'hi',
    seq: 7,
    version: 7,
    createdAt: data.createdAt,
    editedAt: null,
    deletedAt: null,
  });
  expect(messageId('r1', 'alice', 'c-1')).toBe(publicationMessage('r1', 9, data).id);
});

it('gives one idempotency key per (sender, clientMsgId), and different keys to different senders of the same clientMsgId', () => {
  expect(idempotencyKey('alice', 'c-1')).toBe(idempotencyKey('alice', 'c-1'));
  expect(idempotencyKey('alice', 'c-1')).not.toBe(idempotencyKey('bob', 'c-1'));
});

it('keeps a publication that is not a chat message visible, named by its offset, instead of dropping it', () => {
  const foreign = publicationMessage('r1', 3, { value: 42 });
  expect(foreign).toMatchObject({ id: 'r1/offset-3', seq: 3, senderId: '', text: '{"value":42}' });
  expect(publicationMessage('r1', 4, { senderId: 'alice', text: 'no clientMsgId' }).id).toBe('r1/offset-4');
});
