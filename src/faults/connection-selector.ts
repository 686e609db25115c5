import type { ConnectionSelector, ToxicLink } from './toxic.js';

/** Whether a selector (plain data) picks this connection. */
export function selects(selector: ConnectionSelector, link: Pick<ToxicLink, 'id' | 'label' | 'clientPort'>): boolean {
  if (selector === 'all') return true;
  if ('label' in selector) return link.label === selector.label;
  if ('connectionId' in selector) return link.id === selector.connectionId;
  return link.clientPort === selector.clientPort;
}
