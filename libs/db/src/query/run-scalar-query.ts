import { HfitError } from '@hfit/contracts';
import type { ExtractionSession } from '../connection/extraction-session.js';
import { filterGrammar, sqlParser } from '../connection/sql-parser.js';

/** SQL text split around bound values: `parts.length === params.length + 1`. */
export interface BoundQuery {
  readonly parts: readonly string[];
  readonly params: readonly string[];
}

function rejectUnlessSingleSelect(text: string, session: ExtractionSession, label: string): void {
  const { type, isMariaDb } = session.connection;
  const grammar = filterGrammar(type, isMariaDb);
  let ast: unknown;
  try {
    ast = sqlParser(grammar).astify(text, { database: grammar });
  } catch (err) {
    throw new HfitError('QUERY_REJECTED', `${label} is not valid SQL for ${grammar}: ${(err as Error).message.split('\n')[0]}`);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1)
    throw new HfitError('QUERY_REJECTED', `${label} must be exactly one SELECT statement, found ${statements.length} statements`);
  const st = statements[0] as { type?: string; into?: { position?: unknown }; _next?: unknown; set_op?: unknown };
  if (st.type !== 'select')
    throw new HfitError('QUERY_REJECTED', `${label} must be a SELECT statement, found ${String(st.type).toUpperCase()}`);
  if (st.into?.position) throw new HfitError('QUERY_REJECTED', `${label} must not use SELECT … INTO`);
}

/**
 * Runs a template author's `prepare` query inside the session's read-only snapshot and returns the
 * first column of the first row as text. The text must parse as exactly one SELECT (no INTO); the
 * values of `${var}` references are bound parameters, never part of the text.
 * @throws HfitError QUERY_REJECTED (not one SELECT), QUERY_NO_ROW (no row, or the value is NULL).
 */
export async function runScalarQuery(session: ExtractionSession, query: BoundQuery, label = 'dbquery'): Promise<string> {
  const c = session.connection;
  const placeholder = c.type === 'mysql' ? () => '?' : (i: number) => `$${i}`;
  let text = query.parts[0] ?? '';
  for (let i = 1; i < query.parts.length; i++) text += placeholder(i) + query.parts[i]!;
  rejectUnlessSingleSelect(text, session, label);
  let first: unknown[] | undefined;
  try {
    first = await fetchFirstRow(session, text, query.params);
  } catch (err) {
    // Timeouts and lost connections are transient; a query the server refuses is the author's to fix.
    const code = (err as { code?: string }).code ?? '';
    if (/^(ECONNRESET|ETIMEDOUT|EPIPE|PROTOCOL_CONNECTION_LOST)$/.test(code)) throw err;
    throw new HfitError('QUERY_REJECTED', `${label} failed on source "${session.source.name}": ${(err as Error).message}`, { cause: err });
  }
  if (first === undefined) throw new HfitError('QUERY_NO_ROW', `${label} returned no row: check the query and its inputs`);
  const value = first[0];
  if (value === null || value === undefined)
    throw new HfitError('QUERY_NO_ROW', `${label} returned NULL in the first column of its first row: a variable needs a value`);
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

async function fetchFirstRow(session: ExtractionSession, text: string, params: readonly string[]): Promise<unknown[] | undefined> {
  const c = session.connection;
  if (c.raw.type === 'mysql') {
    const conn = c.raw.conn;
    return new Promise<unknown[] | undefined>((resolve, reject) =>
      conn.query({ sql: text, values: [...params], rowsAsArray: true }, (err, rows) =>
        err ? reject(err) : resolve((rows as unknown[][])[0]),
      ),
    );
  }
  const r = await c.raw.client.query({ text, values: [...params], rowMode: 'array' });
  return r.rows[0] as unknown[] | undefined;
}
