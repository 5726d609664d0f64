import { HfitError } from '@hfit/contracts';
import type { ExtractionSession } from '../../connection/extraction-session.js';
import { abortReason } from '../common/wait-for-drain.js';
import type { RowStreamOptions, RowStreamResult } from '../row-stream-options.js';
import { buildMysqlSelect } from './build-mysql-select.js';
import { MYSQL_DUMP_FOOTER, MYSQL_DUMP_HEADER } from './mysql-dump-session.js';
import { createMysqlInsertSink } from './mysql-insert-sink.js';
import type { MysqlRowSink } from './mysql-row-sink.js';
import { createMysqlTextSink } from './mysql-text-sink.js';
import { pumpMysqlRows } from './pump-mysql-rows.js';

/** Row formats a MySQL/MariaDB source can produce. */
export const MYSQL_ROW_FORMATS = ['sql', 'csv', 'ndjson'] as const;

/**
 * Streams the rows of one MySQL/MariaDB table (filtered by `opts.where`, ordered by primary key)
 * to `out` in the session's snapshot, and resolves with the row count once all output is written
 * (`out` is not ended). Generated columns are left out of every format: an importer recomputes them.
 *
 * - `sql`: mysqldump-style session header (utf8mb4, UTC, checks off, `NO_AUTO_VALUE_ON_ZERO`, all
 *   restored at the end), then `INSERT INTO \`table\` (…) VALUES` statements of `opts.batchSize` rows
 *   into the unqualified table. Literals: NULL; numbers in server text form; `0x…` hex for binary,
 *   BIT and spatial values (`''` when empty); everything else (strings, temporal, ENUM/SET, JSON) as
 *   `'…'` with mysql's backslash escapes. Loads back bit-identically with the stock client.
 * - `csv`: RFC 4180 with a header line and CRLF; NULL = empty unquoted field, '' = `""`; binary =
 *   `\x` + hex.
 * - `ndjson`: one object per row keyed by column name; values are strings as the server prints
 *   them, NULL = null, binary = `{"$binary": "<base64>"}`.
 * - `copy`: rejected (`FORMAT_UNSUPPORTED`), PostgreSQL only.
 */
export async function exportMysqlRows(session: ExtractionSession, opts: RowStreamOptions, out: NodeJS.WritableStream): Promise<RowStreamResult> {
  const raw = session.connection.raw;
  const label = `${opts.table.database}.${opts.table.name}`;
  if (raw.type !== 'mysql') throw new TypeError(`exportMysqlRows needs a MySQL/MariaDB session, got ${raw.type} (use exportTableRows)`);
  if (opts.format === 'copy' || !(MYSQL_ROW_FORMATS as readonly string[]).includes(opts.format)) {
    throw new HfitError(
      'FORMAT_UNSUPPORTED',
      `format "${opts.format}" is not available for ${label} on MySQL/MariaDB source "${session.source.name}" (copy is PostgreSQL only): use one of ${MYSQL_ROW_FORMATS.join(', ')}`,
      { field: 'format' },
    );
  }
  if (opts.signal?.aborted) throw abortReason(opts.signal);

  const columns = [...opts.table.columns].filter((c) => !c.generated).sort((a, b) => a.ordinal - b.ordinal);
  const query = buildMysqlSelect(session, opts, columns);
  let sink: MysqlRowSink;
  if (opts.format === 'sql') {
    sink = createMysqlInsertSink(opts.table.name, columns, opts.batchSize, opts.transforms);
    out.write(MYSQL_DUMP_HEADER);
  } else {
    sink = createMysqlTextSink(opts.format, columns, opts.transforms);
  }
  const rows = await pumpMysqlRows(query, sink, out, { conn: raw.conn, source: session.source, label, signal: opts.signal });
  if (opts.format === 'sql') out.write(MYSQL_DUMP_FOOTER);
  return { rows };
}
