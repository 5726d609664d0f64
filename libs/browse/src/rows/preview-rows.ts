import { PassThrough } from 'node:stream';
import { findSource, type LoadedServerConfig } from '@hfit/config';
import { HfitError, PREVIEW_DEFAULT_LIMIT, PREVIEW_MAX_LIMIT, type PreviewRow, type TableColumn } from '@hfit/contracts';
import { compileOptionalFilter, exportTableRows, openExtractionSession, type CompiledFilter, type ExtractionSession, type TableInfo } from '@hfit/db';
import { toTableColumn } from '../sources/to-table-info.js';
import type { SourceReadOptions } from '../sources/with-source-session.js';
import { parseNdjsonRows } from './parse-ndjson-rows.js';

/** What to preview. */
export interface RowsPreviewRequest {
  readonly source: string;
  /** MySQL database or PostgreSQL schema. */
  readonly database: string;
  readonly table: string;
  /** Template-syntax condition (`WHERE` optional); blank or absent = every row. */
  readonly filter?: string | undefined;
  /** Rows wanted, 1 to {@link PREVIEW_MAX_LIMIT}; default {@link PREVIEW_DEFAULT_LIMIT}. */
  readonly limit?: number | undefined;
}

/** Options of {@link previewRows}. */
export interface RowsPreviewOptions extends SourceReadOptions {
  /** Stops the read (e.g. the client went away): the iteration throws the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** A preview ready to stream. */
export interface RowsPreviewStream {
  /** The columns every row has, in table order: the stored ones (generated columns are not read). */
  readonly columns: readonly TableColumn[];
  /**
   * The rows, first ones in primary-key order (server order for tables without one), as they are
   * read: iterate once. Finishing, breaking out or failing closes the session.
   */
  readonly rows: AsyncIterable<PreviewRow>;
  /**
   * Stops reading and closes the session; resolves once it is closed. Safe to call at any time and
   * more than once. Needed when `rows` is never iterated to its end (e.g. the response failed).
   */
  close(): Promise<void>;
}

/**
 * Reads the first rows of a table for the API's rows endpoint, with the engine's safety: the
 * table must be in the source's catalog (the identifier allow-list), the filter is checked and
 * rebuilt by {@link compileOptionalFilter} before any row query is sent (rejected filters never
 * reach the server), and rows are read in a read-only snapshot session with the source's statement
 * timeouts, ordered by the primary key, with the row count bound as a `LIMIT` parameter.
 *
 * Rows are hfit NDJSON objects: column -> the server's text for the value (numbers, dates, JSON as
 * strings), `null`, or `{"$binary": base64}` for binary values. They stream with backpressure from
 * the consumer: a consumer that stops reading pauses the query; one that leaves early (`break`,
 * `return`, a thrown error, {@link RowsPreviewStream.close}) stops it and the session is closed.
 *
 * Everything that can be wrong with the request is checked before this resolves, so the caller can
 * answer with an error before it starts streaming.
 *
 * With `options.access`, the caller needs the `rows` action and a grant on the table, checked
 * before anything else (no connection is opened for a refused request).
 *
 * @throws HfitError `FORBIDDEN`, `REQUEST_INVALID` (limit), `SOURCE_UNKNOWN`, `DATABASE_UNKNOWN`,
 *   `TABLE_UNKNOWN`, `COLUMN_UNKNOWN`, `FILTER_REJECTED`, `FILTER_SYNTAX`, `SOURCE_UNREACHABLE`.
 */
export async function previewRows(
  config: Pick<LoadedServerConfig, 'sources'>,
  request: RowsPreviewRequest,
  options: RowsPreviewOptions = {},
): Promise<RowsPreviewStream> {
  options.access?.requireAction('rows');
  options.access?.requireTable(request.source, request.database, request.table);
  const limit = checkLimit(request.limit);
  const source = findSource(config, request.source);
  options.signal?.throwIfAborted();
  const session = await (options.openSession ?? openExtractionSession)(source);
  let table: TableInfo;
  let where: CompiledFilter | undefined;
  try {
    table = await session.catalog.table({ database: request.database, table: request.table });
    where = compileOptionalFilter(request.filter, { dialect: session.connection.type, table, catalog: session.catalog, field: 'filter' });
  } catch (err) {
    await session.close();
    throw err;
  }
  // Row exports leave generated columns out (an importer recomputes them): so do the rows here.
  const stored = [...table.columns].filter((c) => !c.generated).sort((a, b) => a.ordinal - b.ordinal);
  return startPreview(session, table, where?.expression, limit, stored.map(toTableColumn), options.signal);
}

/** The limit to use, or `REQUEST_INVALID` saying what is allowed. */
function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return PREVIEW_DEFAULT_LIMIT;
  if (Number.isInteger(limit) && limit >= 1 && limit <= PREVIEW_MAX_LIMIT) return limit;
  throw new HfitError('REQUEST_INVALID', `limit ${String(limit)} is not allowed: ask for 1 to ${PREVIEW_MAX_LIMIT} rows (default ${PREVIEW_DEFAULT_LIMIT})`, {
    field: 'limit',
  });
}

function startPreview(
  session: ExtractionSession,
  table: TableInfo,
  where: CompiledFilter['expression'] | undefined,
  limit: number,
  columns: readonly TableColumn[],
  signal: AbortSignal | undefined,
): RowsPreviewStream {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let started = false;

  async function* read(): AsyncGenerator<PreviewRow, void, undefined> {
    started = true;
    // exportTableRows writes NDJSON here and pauses the query while `out` is full; beyond the row
    // writer's own output chunk (~256 KiB) little is held whatever the consumer's pace.
    const out = new PassThrough();
    // Failures reach the reader through the iteration below; this keeps a late one from being unhandled.
    out.on('error', () => undefined);
    const done = exportTableRows(session, { table, where, format: 'ndjson', batchSize: 1, limit, signal: stop.signal }, out).then(
      () => void out.end(),
      (err: unknown) => void out.destroy(err instanceof Error ? err : new Error(String(err))),
    );
    try {
      // Not destroyed on return: the finally block stops the read first, so it ends by its abort path.
      for await (const row of parseNdjsonRows(out.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>)) {
        // Rows already buffered are not handed out once the caller's signal fired.
        stop.signal.throwIfAborted();
        yield row;
      }
    } finally {
      stop.abort(new DOMException('the preview was closed', 'AbortError'));
      out.destroy();
      await done;
      signal?.removeEventListener('abort', onAbort);
      await session.close();
    }
  }

  const rows = read();
  return {
    columns,
    rows,
    async close() {
      if (!started) {
        // A generator that never ran skips its finally block: close the session here.
        await rows.return();
        signal?.removeEventListener('abort', onAbort);
        await session.close();
        return;
      }
      stop.abort(new DOMException('the preview was closed', 'AbortError'));
      // Runs after a pending read settles (the abort makes it settle), then the generator's cleanup.
      await rows.return().catch(() => undefined);
      await session.close();
    },
  };
}
