/** A cell of a terminal table: padded on its plain text, then painted, so ANSI codes never skew the columns. */
export interface TableCell {
  text: string;
  paint?: (text: string) => string;
  align?: 'left' | 'right';
}

/** Aligned rows, two spaces between columns, trailing spaces trimmed; `indent` prefixes each line. */
export function renderTextTable(rows: (TableCell | string)[][], indent = ''): string[] {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? { text: cell } : cell)));
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell.text));
    });
  }
  return cells.map((row) => {
    const line = row
      .map((cell, i) => {
        const padding = ' '.repeat((widths[i] ?? 0) - visibleLength(cell.text));
        const text = cell.paint ? cell.paint(cell.text) : cell.text;
        return cell.align === 'right' ? padding + text : text + padding;
      })
      .join('  ');
    return (indent + line).trimEnd();
  });
}

/** Code points, which is what a terminal shows for the text these reports print (no wide CJK assumed). */
function visibleLength(text: string): number {
  return [...text].length;
}
