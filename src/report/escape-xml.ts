const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // In attributes a raw line break or tab would be normalized to a space by the parser; keep them.
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/**
 * Safe in XML 1.0 text and quoted attributes. Characters XML 1.0 cannot carry at all (most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD rather than making the document invalid.
 */
export function escapeXml(text: string, where: 'text' | 'attribute'): string {
  const valid = text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const special = where === 'attribute' ? /[&<>"'\n\r\t]/g : /[&<>]/g;
  return valid.replace(special, (char) => XML_ESCAPES[char] ?? char);
}
