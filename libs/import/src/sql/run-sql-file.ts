import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileFailure, failureReason, isAbort, type FailurePoint } from '../errors/file-failure.js';
import type { CopyIn, TargetSession } from '../target/target-session.js';
import { dataStatementProblem } from './data-statement-policy.js';
import { statementExcerpt } from './statement-excerpt.js';
import { statementHead } from './statement-head.js';
import { StatementSplitter, type ScriptEvent } from './statement-splitter.js';

/** Bytes read from a script at a time: what the import holds of a file besides one statement. */
const CHUNK_BYTES = 256 * 1024;

/** Options of {@link runSqlFile}. */
export interface RunSqlFileOptions {
  readonly session: TargetSession;
  /** Absolute path of the file. */
  readonly path: string;
  /** Its path in the package, for messages. */
  readonly file: string;
  /** `data` files may hold only SET, INSERT and COPY FROM STDIN (see {@link dataStatementProblem}). */
  readonly kind: 'ddl' | 'data';
  /** The target database: MySQL `USE` statements switch to it, whatever database they name. */
  readonly database: string;
  readonly signal?: AbortSignal | undefined;
  /** Rows loaded so far by this file, after each INSERT and each COPY data chunk. */
  readonly onRows?: ((rows: number) => void) | undefined;
}

/** What {@link runSqlFile} did. */
export interface SqlFileResult {
  /** Statements found in the file (including those mapped away, such as MySQL `CREATE DATABASE`). */
  readonly statements: number;
  /** Rows inserted by INSERT and COPY statements. */
  readonly rows: number;
}

/**
 * Streams an SQL script (a DDL file, or a table-data file in `sql` or `copy` format) into the
 * target one statement at a time, never holding more than one statement and one read chunk;
 * `COPY … FROM STDIN` data streams straight into the server's COPY. On MySQL/MariaDB the package's
 * databases map to the target database: `CREATE DATABASE|SCHEMA` statements are not run (the
 * target exists), `USE x` becomes `USE <target>`, and `DROP DATABASE|SCHEMA` is refused.
 * Transactions are the caller's business.
 * @throws FileFailure naming the statement number, its line and an excerpt; or the signal's
 * reason when aborted.
 */
export async function runSqlFile(o: RunSqlFileOptions): Promise<SqlFileResult> {
  const { session, file, signal } = o;
  const dialect = session.dialect;
  const splitter = new StatementSplitter(dialect);
  let statements = 0;
  let rows = 0;
  let point: FailurePoint = { file };
  let copy: { handle: CopyIn; rows: number } | undefined;

  const split = (fn: () => ScriptEvent[]): ScriptEvent[] => {
    try {
      return fn();
    } catch (err) {
      throw new FileFailure({ file }, failureReason(err), { cause: err });
    }
  };

  const runStatement = async (text: string, isCopy: boolean): Promise<void> => {
    const head = statementHead(text, dialect);
    if (o.kind === 'data') {
      const problem = dataStatementProblem(head, text, dialect, isCopy);
      if (problem) throw new FileFailure(point, `${problem}: refused`);
    }
    if (dialect === 'mysql') {
      const database = head[1] === 'DATABASE' || head[1] === 'SCHEMA';
      if (head[0] === 'CREATE' && database) return;
      if (head[0] === 'DROP' && database)
        throw new FileFailure(point, 'drops a database: refused (every database of the package maps to the target database)');
      if (head[0] === 'USE') {
        await session.run(`USE ${session.quoteName(o.database)}`);
        return;
      }
    }
    if (isCopy) {
      copy = { handle: await session.copyIn(text), rows: 0 };
      return;
    }
    const n = await session.run(text);
    if (head[0] === 'INSERT') {
      rows += n;
      o.onRows?.(rows);
    }
  };

  const handle = async (events: readonly ScriptEvent[]): Promise<void> => {
    for (const e of events) {
      signal?.throwIfAborted();
      if (e.type === 'statement') {
        statements++;
        point = { file, statement: statements, line: e.line, excerpt: statementExcerpt(e.text) };
        await runStatement(e.text, e.copy);
      } else if (copy && e.type === 'copy-data') {
        await copy.handle.write(e.text);
        copy.rows += e.rows;
        o.onRows?.(rows + copy.rows);
      } else if (copy) {
        const handle = copy.handle;
        copy = undefined;
        rows += await handle.end();
        o.onRows?.(rows);
      }
    }
  };

  try {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of createReadStream(o.path, { highWaterMark: CHUNK_BYTES, signal })) {
      const text = decoder.write(chunk as Buffer);
      await handle(split(() => splitter.push(text)));
    }
    const last = decoder.end();
    await handle(split(() => [...splitter.push(last), ...splitter.end()]));
    return { statements, rows };
  } catch (err) {
    const open = copy as { handle: CopyIn } | undefined;
    if (open) await open.handle.abort(err instanceof Error ? err : new Error(String(err)));
    if (isAbort(err, signal) || err instanceof FileFailure) throw err;
    const where = (err as { where?: unknown }).where;
    const reason = failureReason(err) + (typeof where === 'string' && where ? ` (${failureReason(where)})` : '');
    throw new FileFailure(point, reason, { cause: err });
  }
}
