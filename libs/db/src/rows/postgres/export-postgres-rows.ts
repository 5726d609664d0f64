import type { CompiledQuery } from 'kysely';
import { HfitError, isHfitError, type RowFormat } from '@hfit/contracts';
import type { Client } from 'pg';
import type { ExtractionSession } from '../../connection/extraction-session.js';
import type { TableInfo } from '../../introspection/table-info.js';
import type { Cell, RowStreamOptions, RowStreamResult } from '../row-stream-options.js';
import { abortReason } from '../common/wait-for-drain.js';
import { buildCopyQuery, buildSelectQuery } from './build-row-queries.js';
import { COPY_BLOCK_END, copyBlockOpening, createCopyBlockRenderer } from './copy-block-renderer.js';
import { CopyLineSplitter } from './copy-line-splitter.js';
import { CopyFieldCountError, CopyToSqlConverter } from './copy-to-sql-converter.js';
import { createRowTransformer } from './create-row-transformer.js';
import { createCsvRenderer } from './csv-renderer.js';
import { decodeCopyLine } from './decode-copy-line.js';
import { createNdjsonRenderer } from './ndjson-renderer.js';
import { OutputBuffer } from './output-buffer.js';
import { planPostgresExport, type PostgresExportTarget } from './postgres-export-target.js';
import type { PostgresRowRenderer } from './postgres-row-renderer.js';
import { POSTGRES_SCRIPT_HEADER } from './postgres-script-header.js';
import { createSqlInsertRenderer, sqlInsertPrefix } from './sql-insert-renderer.js';
import { streamCopyOut } from './stream-copy-out.js';
import { streamCursorRows } from './stream-cursor-rows.js';

const FORMATS: ReadonlySet<string> = new Set<RowFormat>(['sql', 'copy', 'csv', 'ndjson']);

/** Rows per cursor round trip on the filtered path (memory per fetch stays small, trips few). */
const CURSOR_FETCH_ROWS = 2000;

/** Converted bytes gathered before handing them to the output (one write per ~256 KiB). */
const OUTPUT_CHUNK_BYTES = 256 * 1024;

/**
 * Writes the rows of one PostgreSQL table to `out` in `opts.format` and resolves with the row count.
 * `out` is not ended: the caller may write more (several tables into one file) and owns the stream.
 *
 * Two read paths, both ordered by the primary key and both inside the session's snapshot:
 *  - no filter: `COPY (SELECT …) TO STDOUT`, the server's fastest way out. For the `copy` format
 *    without transforms its bytes are written through unchanged; otherwise each line is decoded and
 *    rendered.
 *  - filter or row limit: the filter's values and the limit must be bound, which COPY cannot do, so
 *    the SELECT is compiled by Kysely and read through a pg-cursor in batches.
 *
 * Values are never turned into JavaScript numbers or dates: they stay the server's text, so what
 * is written is what PostgreSQL printed. Aborting `opts.signal` cancels the running statement and
 * rejects with the signal's reason; the session must then be closed (its transaction is aborted).
 */
export async function exportPostgresRows(
  session: ExtractionSession,
  opts: RowStreamOptions,
  out: NodeJS.WritableStream,
): Promise<RowStreamResult> {
  const { connection } = session;
  if (connection.raw.type !== 'postgres')
    throw new HfitError('FORMAT_UNSUPPORTED', `exportPostgresRows needs a PostgreSQL session; source "${session.source.name}" is ${connection.type}`);
  const client = connection.raw.client;
  if (!FORMATS.has(opts.format))
    throw new HfitError('FORMAT_UNSUPPORTED', `row format "${String(opts.format)}" is not supported: use sql, copy, csv or ndjson`, { field: 'format' });
  if (opts.format === 'sql' && !(Number.isInteger(opts.batchSize) && opts.batchSize >= 1))
    throw new HfitError('EXTRACTION_FAILED', `batchSize must be a whole number of rows per INSERT, at least 1 (got ${String(opts.batchSize)})`, {
      field: 'batchSize',
    });
  if (opts.signal?.aborted) throw abortReason(opts.signal);

  const table = await checkedTable(session, opts.table);
  const target = await planPostgresExport(connection.kysely, table);
  const transform = createRowTransformer(target, opts.transforms);
  const buffer = new OutputBuffer(out, opts.signal);
  const label = `"${table.database}"."${table.name}"`;
  const { signal } = opts;
  try {
    if (opts.where !== undefined || opts.limit !== undefined) {
      const query = buildSelectQuery(connection.kysely, target, opts.where, opts.limit);
      return { rows: await renderFromCursor(client, query, createRenderer(opts.format, target, opts.batchSize), transform, buffer, signal) };
    }
    const copyQuery = buildCopyQuery(connection.kysely, target);
    if (opts.format === 'copy' && !transform) return { rows: await passThroughCopy(client, copyQuery, target, buffer, signal) };
    if (opts.format === 'sql' && !transform && target.columns.length > 0)
      return { rows: await convertCopyToSql(client, copyQuery, target, opts.batchSize, buffer, label, signal) };
    const renderer = createRenderer(opts.format, target, opts.batchSize);
    return { rows: await renderFromCopy(client, copyQuery, target, renderer, transform, buffer, label, signal) };
  } catch (err) {
    throw explain(err, label, signal);
  }
}

/** Decodes the COPY text of an unfiltered export line by line and renders it (csv, ndjson, transforms). */
async function renderFromCopy(
  client: Client,
  copyQuery: string,
  target: PostgresExportTarget,
  renderer: PostgresRowRenderer,
  transform: ((cells: Cell[]) => void) | undefined,
  buffer: OutputBuffer,
  label: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  buffer.append(renderer.begin());
  const splitter = new CopyLineSplitter();
  const columns = target.columns.length;
  let rows = 0;
  await streamCopyOut(
    client,
    copyQuery,
    (chunk) => {
      for (const line of splitter.push(chunk)) {
        const cells = decodeCopyLine(line, columns);
        if (!cells) throw malformedCopy(label, columns, line);
        transform?.(cells);
        buffer.append(renderer.row(cells));
        rows++;
      }
      return buffer.flushIfFull();
    },
    signal,
  );
  if (splitter.pendingBytes) throw malformedCopy(label, columns, '(unterminated last line)');
  buffer.append(renderer.end());
  await buffer.flush();
  return rows;
}

/** Reads a filtered export through a cursor and renders each fetched batch. */
async function renderFromCursor(
  client: Client,
  query: CompiledQuery,
  renderer: PostgresRowRenderer,
  transform: ((cells: Cell[]) => void) | undefined,
  buffer: OutputBuffer,
  signal: AbortSignal | undefined,
): Promise<number> {
  buffer.append(renderer.begin());
  let rows = 0;
  await streamCursorRows(
    client,
    query,
    CURSOR_FETCH_ROWS,
    (batch) => {
      for (const cells of batch) {
        transform?.(cells);
        buffer.append(renderer.row(cells));
      }
      rows += batch.length;
      return buffer.flushIfFull();
    },
    signal,
  );
  buffer.append(renderer.end());
  await buffer.flush();
  return rows;
}

/** Picks the renderer of a format; `copy` is PostgreSQL's own and only exists here. */
function createRenderer(format: RowFormat, target: PostgresExportTarget, batchSize: number): PostgresRowRenderer {
  switch (format) {
    case 'sql':
      return createSqlInsertRenderer(target, batchSize);
    case 'copy':
      return createCopyBlockRenderer(target);
    case 'csv':
      return createCsvRenderer(target);
    case 'ndjson':
      return createNdjsonRenderer(target);
  }
}

/**
 * `copy` format, unfiltered, untransformed: the server's COPY text is already exactly what
 * `COPY … FROM stdin` reads, so chunks go out as they came; only newlines are counted (one per row,
 * newlines inside values are escaped).
 */
async function passThroughCopy(
  client: Client,
  copyQuery: string,
  target: PostgresExportTarget,
  buffer: OutputBuffer,
  signal: AbortSignal | undefined,
): Promise<number> {
  buffer.append(copyBlockOpening(target));
  let rows = 0;
  await streamCopyOut(
    client,
    copyQuery,
    (chunk) => {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) rows++;
      return buffer.writeBytes(chunk);
    },
    signal,
  );
  buffer.append(COPY_BLOCK_END);
  await buffer.flush();
  return rows;
}

/**
 * `sql` format, unfiltered, untransformed: the COPY bytes are rewritten into INSERT statements
 * byte by byte ({@link CopyToSqlConverter}), the path that keeps up with pg_dump.
 */
async function convertCopyToSql(
  client: Client,
  copyQuery: string,
  target: PostgresExportTarget,
  batchSize: number,
  buffer: OutputBuffer,
  label: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  buffer.append(POSTGRES_SCRIPT_HEADER);
  const converter = new CopyToSqlConverter(target.kinds, `${sqlInsertPrefix(target)}\n(`, batchSize);
  try {
    await streamCopyOut(
      client,
      copyQuery,
      (chunk) => {
        converter.push(chunk);
        return converter.size < OUTPUT_CHUNK_BYTES ? undefined : buffer.writeBytes(converter.take());
      },
      signal,
    );
  } catch (err) {
    if (err instanceof CopyFieldCountError) throw malformedCopy(label, target.columns.length, err.line);
    throw err;
  }
  if (converter.pendingBytes) throw malformedCopy(label, target.columns.length, '(unterminated last line)');
  converter.finish();
  buffer.writeBytes(converter.take());
  await buffer.flush();
  return converter.rows;
}

/**
 * Resolves the table again through the session's catalog (the identifier allow-list) and checks
 * every column the caller's description names, so no name reaches SQL unchecked.
 */
async function checkedTable(session: ExtractionSession, table: TableInfo): Promise<TableInfo> {
  const known = await session.catalog.table({ database: table.database, table: table.name });
  for (const column of table.columns) session.catalog.column(known, column.name);
  return table;
}

/**
 * COPY text always has one field per selected column (tabs inside values are escaped), so this only
 * fires if the server's output is not what hfit asked for — a bug to report, not bad input.
 */
function malformedCopy(label: string, columns: number, line: string): HfitError {
  const preview = line.length > 80 ? `${line.slice(0, 80)}…` : line;
  return new HfitError(
    'EXTRACTION_FAILED',
    `COPY output of ${label} does not have ${columns} fields per line (got ${JSON.stringify(preview)}): this is an hfit bug, please report it with the table's definition; exporting with a filter (cursor path) avoids it`,
  );
}

/**
 * Turns a failure into what the caller should see: the signal's reason when aborted (as promised by
 * RowStreamOptions), HfitErrors unchanged, server errors as EXTRACTION_FAILED naming the table.
 * Output stream errors pass through: they are the destination's, not the source's.
 */
function explain(err: unknown, label: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (isHfitError(err)) return err;
  const pgError = err as { code?: unknown; message?: unknown; severity?: unknown };
  if (typeof pgError.severity === 'string' && typeof pgError.message === 'string') {
    const hint = pgError.code === '57014' ? ' (statement timeout or cancel: raise rowsTimeoutMs for this source or narrow the filter)' : '';
    return new HfitError('EXTRACTION_FAILED', `reading rows of ${label} failed: ${pgError.message}${hint}`, {
      cause: err,
      permanent: false,
    });
  }
  return err;
}
