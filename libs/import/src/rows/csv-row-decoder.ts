import { CsvRecordParser, type CsvRecord } from './csv-record-parser.js';
import { RecordRowDecoder } from './record-row-decoder.js';
import type { BinaryColumns, DecodedRow, RowValue } from './row-decoder.js';

const HEX_BYTES = /^\\x(?:[0-9a-fA-F]{2})*$/;

/**
 * Rows of an hfit csv file: the header record names the columns; in binary columns a `\x…` hex
 * field becomes bytes (any other text stays text); an empty unquoted field is NULL.
 */
export class CsvRowDecoder extends RecordRowDecoder<CsvRecord> {
  private binary: readonly boolean[] = [];

  constructor(private readonly binaryColumns: BinaryColumns) {
    super(new CsvRecordParser());
  }

  protected override rows(records: readonly CsvRecord[]): DecodedRow[] {
    const out: DecodedRow[] = [];
    for (const r of records) {
      if (!this.names) {
        if (r.fields.some((f) => f === null || f === '')) throw new Error(`the header at line ${r.line} has an empty column name`);
        this.names = r.fields as string[];
        this.binary = this.binaryColumns(this.names);
        continue;
      }
      if (r.fields.length !== this.names.length)
        throw new Error(`the record at line ${r.line} has ${r.fields.length} fields, the header names ${this.names.length} columns`);
      const values: RowValue[] = r.fields;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (this.binary[i] && typeof v === 'string' && HEX_BYTES.test(v)) values[i] = Buffer.from(v.slice(2), 'hex');
      }
      out.push({ values, line: r.line });
    }
    return out;
  }
}
