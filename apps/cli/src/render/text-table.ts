/** Strips ANSI styling, to measure what a cell shows. */
function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Options of {@link textTable}. */
export interface TextTableOptions {
  /** Columns aligned right (numbers), by index. */
  readonly right?: readonly number[];
}

/**
 * Rows as aligned text columns under a header line, two spaces apart. Line breaks and tabs in
 * cells are shown as `\n` / `\t` so that one row stays one line.
 */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string[] {
  const clean = (cell: string): string => cell.replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t');
  const body = rows.map((r) => r.map(clean));
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...body.map((r) => visibleLength(r[i] ?? ''))));
  const right = new Set(options.right ?? []);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell)));
        if (i === cells.length - 1 && !right.has(i)) return cell;
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...body.map(line)];
}
