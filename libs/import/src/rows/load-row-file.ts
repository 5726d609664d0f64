import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileFailure, failureReason, isAbort, type FailurePoint } from '../errors/file-failure.js';
import { statementExcerpt } from '../sql/statement-excerpt.js';
import { isBinaryType } from '../target/binary-types.js';
import { targetTableName, type TargetSession, type TargetTable } from '../target/target-session.js';
import { CsvRowDecoder } from './csv-row-decoder.js';
import { NdjsonRowDecoder } from './ndjson-row-decoder.js';
import type { DecodedRow, RowDecoder } from './row-decoder.js';

/** Bytes read from a file at a time. */
const CHUNK_BYTES = 256 * 1024;
/** Rows per INSERT at most. */
const BATCH_ROWS = 1000;
/** Bound parameters per statement at most (both servers' protocol limit is 65535). */
const MAX_PARAMS = 65_535;
/** Approximate bytes of values per INSERT at most, well under MySQL's default max_allowed_packet. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** Options of {@link loadRowFile}. */
export interface LoadRowFileOptions {
  readonly session: TargetSession;
  readonly path: string;
  /** Package path, for messages. */
  readonly file: string;
  readonly format: 'csv' | 'ndjson';
  readonly table: TargetTable;
  readonly signal?: AbortSignal | undefined;
  /** Rows loaded so far by this file, after each batch. */
  readonly onRows?: ((rows: number) => void) | undefined;
}

function valueBytes(v: string | Buffer | null): number {
  return v === null ? 1 : v.length;
}

/**
 * Loads a csv or ndjson table-data file into a table with multi-row INSERTs whose values are all
 * bound parameters (the SQL text holds only quoted column and table names and placeholders),
 * streaming: one read chunk and one batch (at most 1000 rows, 4 MiB of values and 65535
 * parameters) in memory. Bytes (`\x…` csv fields of binary columns, `{"$binary": …}` ndjson
 * values) are bound as bytes. On PostgreSQL the INSERT says `OVERRIDING SYSTEM VALUE`, so identity
 * columns keep the exported values. Transactions are the caller's business.
 * @returns the rows inserted.
 * @throws FileFailure naming the batch number (as the statement), the line where it starts and the
 * INSERT's start; or the signal's reason when aborted.
 */
export async function loadRowFile(o: LoadRowFileOptions): Promise<number> {
  const { session, file, table, signal } = o;
  const name = targetTableName(table);
  let point: FailurePoint = { file };
  const types = await session.columnTypes(table).catch((err: unknown) => {
    throw new FileFailure(point, failureReason(err), { cause: err });
  });
  if (!types.size)
    throw new FileFailure(point, `table ${name} does not exist in the target: import the package's DDL for it or create it first`);
  const binaryColumns = (columns: readonly string[]) => {
    const missing = columns.filter((c) => !types.has(c));
    if (missing.length) throw new Error(`table ${name} of the target has no column ${missing.map((c) => JSON.stringify(c)).join(', ')}`);
    return columns.map((c) => isBinaryType(session.dialect, types.get(c) ?? ''));
  };
  const decoder: RowDecoder = o.format === 'csv' ? new CsvRowDecoder(binaryColumns) : new NdjsonRowDecoder();
  /** Format problems name their line themselves, not the batch being loaded. */
  const decode = (fn: () => DecodedRow[]): DecodedRow[] => {
    try {
      return fn();
    } catch (err) {
      throw new FileFailure({ file }, failureReason(err), { cause: err });
    }
  };

  let rows = 0;
  let batchNo = 0;
  let batch: DecodedRow[] = [];
  let batchBytes = 0;
  let columnsChecked = false;
  const statementFor = new Map<number, string>();

  const insertSql = (columns: readonly string[], count: number): string => {
    let sql = statementFor.get(count);
    if (sql) return sql;
    const head = `INSERT INTO ${session.quoteName(table.schema)}.${session.quoteName(table.name)} (${columns.map((c) => session.quoteName(c)).join(', ')})${
      session.dialect === 'postgres' ? ' OVERRIDING SYSTEM VALUE' : ''
    } VALUES `;
    const tuples: string[] = [];
    let p = 1;
    for (let r = 0; r < count; r++) {
      const marks: string[] = [];
      for (let c = 0; c < columns.length; c++) marks.push(session.placeholder(p++));
      tuples.push(`(${marks.join(', ')})`);
    }
    sql = head + tuples.join(', ');
    statementFor.set(count, sql);
    return sql;
  };

  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    const columns = decoder.columns ?? [];
    batchNo++;
    const sql = insertSql(columns, batch.length);
    point = { file, statement: batchNo, unit: 'batch', line: batch[0]?.line, excerpt: statementExcerpt(sql) };
    const params = batch.flatMap((r) => r.values);
    batch = [];
    batchBytes = 0;
    rows += await session.runBound(sql, params);
    o.onRows?.(rows);
  };

  const take = async (decoded: readonly DecodedRow[]): Promise<void> => {
    for (const row of decoded) {
      if (!columnsChecked) {
        columnsChecked = true;
        // ndjson names its columns with the first row: check them against the target now.
        if (o.format === 'ndjson') decode(() => (binaryColumns(decoder.columns ?? []), []));
      }
      if (!row.values.length) throw new FileFailure({ file }, `line ${row.line} has no columns`);
      batch.push(row);
      for (const v of row.values) batchBytes += valueBytes(v);
      const perBatch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMS / row.values.length)));
      if (batch.length >= perBatch || batchBytes >= BATCH_BYTES) {
        signal?.throwIfAborted();
        await flush();
      }
    }
  };

  try {
    const text = new StringDecoder('utf8');
    for await (const chunk of createReadStream(o.path, { highWaterMark: CHUNK_BYTES, signal })) {
      const s = text.write(chunk as Buffer);
      await take(decode(() => decoder.push(s)));
    }
    const last = text.end();
    await take(decode(() => [...decoder.push(last), ...decoder.end()]));
    await flush();
    return rows;
  } catch (err) {
    if (isAbort(err, signal) || err instanceof FileFailure) throw err;
    throw new FileFailure(point, failureReason(err), { cause: err });
  }
}
