import type { DecodedRow, RowDecoder } from './row-decoder.js';

/** Splits decoded text into records chunk by chunk (csv records, ndjson lines). */
export interface RecordParser<R> {
  push(chunk: string): R[];
  end(): R[];
}

/**
 * A {@link RowDecoder} in two steps: a {@link RecordParser} splits the text into records, and the
 * format's {@link RecordRowDecoder.rows} turns them into rows, setting `names` from the first.
 */
export abstract class RecordRowDecoder<R> implements RowDecoder {
  /** Column names, once the first record was read. */
  protected names: string[] | undefined;

  protected constructor(private readonly parser: RecordParser<R>) {}

  get columns(): readonly string[] | undefined {
    return this.names;
  }

  push(chunk: string): DecodedRow[] {
    return this.rows(this.parser.push(chunk));
  }

  end(): DecodedRow[] {
    return this.rows(this.parser.end());
  }

  /** @throws Error naming the line when a record breaks the format's conventions. */
  protected abstract rows(records: readonly R[]): DecodedRow[];
}
