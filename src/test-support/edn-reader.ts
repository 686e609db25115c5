/**
 * A small EDN reader for the export's round-trip test: maps, vectors, lists, keywords, strings, integers, floats,
 * nil, true/false, commas as whitespace. Keywords read as `{ keyword }`, as the exporter writes them. It reads a
 * sequence of top-level forms.
 */
export type EdnValue = null | boolean | number | string | { keyword: string } | EdnValue[] | Map<EdnValue, EdnValue>;

export function readEdnForms(text: string): EdnValue[] {
  let i = 0;
  const forms: EdnValue[] = [];
  const skip = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === ';') while (i < text.length && text[i] !== '\n') i++;
      else if (/[\s,]/.test(c)) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new Error(`EDN: ${what} at offset ${i}`);
  };
  const value = (): EdnValue => {
    skip();
    const c = text[i];
    if (c === undefined) return fail('unexpected end');
    if (c === '{') {
      i++;
      const map = new Map<EdnValue, EdnValue>();
      for (skip(); text[i] !== '}'; skip()) {
        const key = value();
        map.set(typeof key === 'object' && key !== null && 'keyword' in key ? `:${key.keyword}` : key, value());
      }
      i++;
      return map;
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const items: EdnValue[] = [];
      for (skip(); text[i] !== close; skip()) {
        if (i >= text.length) fail(`missing ${close}`);
        items.push(value());
      }
      i++;
      return items;
    }
    if (c === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') {
        if (i >= text.length) fail('unterminated string');
        i += text[i] === '\\' ? 2 : 1;
      }
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const token = /^[^\s,{}[\]()"]+/.exec(text.slice(i))?.[0] ?? fail(`unexpected ${c}`);
    i += token.length;
    if (token.startsWith(':')) return { keyword: token.slice(1) };
    if (token === 'nil') return null;
    if (token === 'true' || token === 'false') return token === 'true';
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(token)) return Number(token);
    return fail(`unknown token ${token}`);
  };
  for (skip(); i < text.length; skip()) forms.push(value());
  return forms;
}
