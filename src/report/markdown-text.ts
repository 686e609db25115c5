import { escapeHtml } from './escape-html.js';

/**
 * Plain text as inline Markdown (GitHub flavour): backslash-escapes what could become emphasis, code, links, HTML,
 * entities, table pipes or math, and folds line breaks, so a message text or witness can never change the layout.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&$]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}

/** A fenced code block that no backtick run inside can close early. */
export function markdownCodeBlock(lines: string[], info = 'text'): string {
  const longestRun = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}${info}`, ...lines, fence].join('\n');
}

/** Inline code that a backtick inside cannot end early. */
export function markdownCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longestRun + 1);
  return longestRun > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/** Text inside an HTML element of the Markdown (such as `<summary>`), where Markdown escapes do not apply. */
export function markdownHtmlText(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, ' ');
}
