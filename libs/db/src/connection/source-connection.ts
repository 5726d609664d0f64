import type { Kysely } from 'kysely';
import type { Connection as MysqlConnection } from 'mysql2';
import type { Client as PgClient } from 'pg';

/** The two dialect families hfit reads. MariaDB is `mysql` with `isMariaDb`. */
export type SourceType = 'mysql' | 'postgres';

/** The driver connection under a {@link SourceConnection}, for fast paths that bypass row objects. */
export type RawConnection =
  | { readonly type: 'mysql'; readonly conn: MysqlConnection }
  | { readonly type: 'postgres'; readonly client: PgClient };

/**
 * One database connection, pinned: every query sent through `kysely` or `raw` goes over the same
 * connection, so they share the session's transaction and snapshot.
 */
export interface SourceConnection {
  readonly type: SourceType;
  /** `SELECT version()` as the server reports it. */
  readonly serverVersion: string;
  /** True for MariaDB (statement timeout and some DDL differ from MySQL). */
  readonly isMariaDb: boolean;
  /** Query builder and executor bound to this one connection. */
  readonly kysely: Kysely<any>;
  readonly raw: RawConnection;
  /** Closes the connection (rolling back any open transaction). Safe to call twice. */
  close(): Promise<void>;
}
