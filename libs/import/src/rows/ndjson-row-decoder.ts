import { NdjsonLineParser, type NdjsonLine } from './ndjson-line-parser.js';
import { RecordRowDecoder } from './record-row-decoder.js';
import type { DecodedRow, RowValue } from './row-decoder.js';

/** The value of one ndjson cell as a parameter, or a description of what is wrong with it. */
function cellValue(v: unknown): RowValue | { problem: string } {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const b = (v as { $binary?: unknown }).$binary;
    if (keys.length === 1 && typeof b === 'string') return Buffer.from(b, 'base64');
  }
  return { problem: `is ${Array.isArray(v) ? 'a list' : 'an object'}; values are text, null or {"$binary": base64}` };
}

/**
 * Rows of an hfit ndjson file: one object per line, keyed by column name; the first object's keys
 * (in order) are the columns and every later object must have exactly those keys. Values are text
 * (numbers and booleans are taken as their text), null, or `{"$binary": "<base64>"}` for bytes.
 */
export class NdjsonRowDecoder extends RecordRowDecoder<NdjsonLine> {
  constructor() {
    super(new NdjsonLineParser());
  }

  protected override rows(lines: readonly NdjsonLine[]): DecodedRow[] {
    const out: DecodedRow[] = [];
    for (const { value, line } of lines) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`line ${line} is not a JSON object`);
      const obj = value as Record<string, unknown>;
      const names = (this.names ??= Object.keys(obj));
      const keys = Object.keys(obj);
      if (keys.length !== names.length || names.some((n) => !Object.hasOwn(obj, n)))
        throw new Error(`line ${line} does not have the columns of line 1 (${names.length} keys: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})`);
      const values: RowValue[] = new Array<RowValue>(names.length);
      for (let i = 0; i < names.length; i++) {
        const v = cellValue(obj[names[i]!]);
        if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) throw new Error(`line ${line}, column "${names[i]}": the value ${v.problem}`);
        values[i] = v;
      }
      out.push({ values, line });
    }
    return out;
  }
}
