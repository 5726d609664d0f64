import type { Cell } from '../row-stream-options.js';
import { unescapeCopyText } from './unescape-copy-text.js';

/**
 * Splits one COPY text line into values: `\N` is NULL, fields without a backslash are used as they
 * are (the common case, no copying), others are unescaped. Returns undefined when the line does not
 * have `columns` fields, which would mean the stream is not what was asked for.
 */
export function decodeCopyLine(line: string, columns: number): Cell[] | undefined {
  if (columns === 0) return line === '' ? [] : undefined;
  const fields: Cell[] = line.split('\t');
  if (fields.length !== columns) return undefined;
  for (let i = 0; i < columns; i++) {
    const f = fields[i] as string;
    if (f.indexOf('\\') === -1) continue;
    fields[i] = f === '\\N' ? null : unescapeCopyText(f);
  }
  return fields;
}
