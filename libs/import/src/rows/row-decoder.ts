import type { BoundValue } from '../target/target-session.js';

/** A value as bound to an INSERT parameter: text in the server's text form, bytes, or NULL. */
export type RowValue = BoundValue;

/** One row of a csv/ndjson file, with the 1-based line it starts on. */
export interface DecodedRow {
  readonly values: RowValue[];
  readonly line: number;
}

/**
 * Turns the decoded text of a csv or ndjson data file into rows, chunk by chunk. The column list
 * is known once the first record (csv header, first ndjson object) has been read.
 */
export interface RowDecoder {
  /** Column names in file order; undefined until the first record was read. */
  readonly columns: readonly string[] | undefined;
  /** @throws Error naming the line when the text breaks the format's conventions. */
  push(chunk: string): DecodedRow[];
  end(): DecodedRow[];
}

/** Tells, once the column names are known, which columns hold bytes (binary types in the target). */
export type BinaryColumns = (columns: readonly string[]) => readonly boolean[];
