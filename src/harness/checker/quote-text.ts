/** Texts quoted in a witness stay readable: a text near the length limit is cut, with its length said. */
const SHOWN = 60;

/** `"hello"`, or `"alice #12 (run 1) ééé…" (3,997 characters)` for a long one (code points kept whole). */
export function quoteText(text: string): string {
  const points = [...text];
  if (points.length <= SHOWN) return JSON.stringify(text);
  return `${JSON.stringify(`${points.slice(0, SHOWN).join('')}…`)} (${text.length.toLocaleString('en-US')} characters)`;
}
