import { quoteText } from './quote-text.js';
import type { Message } from '../../chat/message.js';
import { messageKey, userOf, type HistoryIndex } from './history-index.js';

/**
 * What the writes of a history asked for, to judge the content of every message state anyone saw (an ack, a
 * broadcast, a catch-up page, a final view, the database): whether some write explains it. Relies on generated
 * texts being unique in a run (a text names the one write that carried it).
 */
export interface WrittenContent {
  /** (roomId, senderId, clientMsgId) of every send invoked, whatever its outcome. */
  sendKeys: Set<string>;
  /** Key -> the texts its sends carried. */
  sendTexts: Map<string, Set<string>>;
  /** Message id -> the texts its edits carried. */
  editTexts: Map<string, Set<string>>;
  /**
   * Key -> the text its message was created with, where the history tells: the request text of a send acknowledged
   * 201 (created now), else the one text all its sends carried.
   */
  creationText: Map<string, string>;
  /** Text -> the message and version its write was acknowledged at (201 sends and ok edits). */
  writtenAt: Map<string, { messageId: string; version: number }>;
}

const cache = new WeakMap<HistoryIndex, WrittenContent>();

export function writtenContent(index: HistoryIndex): WrittenContent {
  const known = cache.get(index);
  if (known) return known;
  const content: WrittenContent = {
    sendKeys: new Set(),
    sendTexts: new Map(),
    editTexts: new Map(),
    creationText: new Map(),
    writtenAt: new Map(),
  };
  const add = (map: Map<string, Set<string>>, id: string, text: string) => map.set(id, (map.get(id) ?? new Set()).add(text));
  const created = new Map<string, string>();
  for (const { invoke, complete, status } of index.operations) {
    if (invoke.kind === 'send' && invoke.clientMsgId !== undefined) {
      const key = messageKey(invoke.roomId, userOf(index, invoke.process), invoke.clientMsgId);
      content.sendKeys.add(key);
      if (invoke.text !== undefined) add(content.sendTexts, key, invoke.text);
      if (status === 'ok' && complete?.httpStatus === 201 && invoke.text !== undefined && !created.has(key)) {
        created.set(key, invoke.text);
        if (complete.message) content.writtenAt.set(invoke.text, { messageId: complete.message.id, version: complete.message.version });
      }
    }
    if (invoke.kind === 'edit' && invoke.messageId !== undefined && invoke.text !== undefined) {
      add(content.editTexts, invoke.messageId, invoke.text);
      if (status === 'ok' && complete?.message) {
        content.writtenAt.set(invoke.text, { messageId: complete.message.id, version: complete.message.version });
      }
    }
  }
  for (const [key, texts] of content.sendTexts) {
    const text = created.get(key) ?? (texts.size === 1 ? [...texts][0] : undefined);
    if (text !== undefined) content.creationText.set(key, text);
  }
  cache.set(index, content);
  return content;
}

/**
 * Why a message state's content is one no write explains, or undefined when one does:
 * - its (roomId, senderId, clientMsgId) is no send's: no user sent that key to that room;
 * - its text is no send's of its key and no edit's of its id (a text altered, e.g. normalized or re-encoded);
 * - its text is a send's of its key, but not the one the message was created with: a send that reused the key
 *   with another text was stored (the server must refuse it, 409, or answer with the original);
 * - its text was acknowledged at another version of the message: shown later, a change was undone (an unexplained
 *   revert); shown earlier, before it was written.
 * A deleted state carries no text to judge.
 */
export function unexplainedContent(state: Message, content: WrittenContent): string | undefined {
  const key = messageKey(state.roomId, state.senderId, state.clientMsgId);
  if (!content.sendKeys.has(key)) {
    return `names ${state.senderId}'s clientMsgId ${JSON.stringify(state.clientMsgId)} in room ${state.roomId}, which no send of that user to that room carried`;
  }
  if (state.deletedAt !== null) return undefined;
  const text = state.text;
  const creation = content.creationText.get(key);
  if (content.sendTexts.get(key)?.has(text)) {
    if (creation !== undefined && text !== creation) {
      return (
        `holds ${quoteText(text)}, the text of a later send with the same clientMsgId (it was created with ` +
        `${quoteText(creation)}): a reused key must be refused (409) or answered with the original, never stored`
      );
    }
  } else if (!content.editTexts.get(state.id)?.has(text)) {
    return `holds ${quoteText(text)}, a text no send or edit of it wrote`;
  }
  const written = content.writtenAt.get(text);
  if (written && written.messageId === state.id && written.version !== state.version) {
    return state.version > written.version
      ? `holds at version ${state.version} the text acknowledged at version ${written.version}: a later change was undone (an unexplained revert)`
      : `holds at version ${state.version} the text acknowledged only at version ${written.version}`;
  }
  return undefined;
}
