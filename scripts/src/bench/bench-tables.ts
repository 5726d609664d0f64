import mysql from 'mysql2/promise';
import pg from 'pg';

/** Where the benchmark tables live: database `hfit_bench` on both servers. */
export const BENCH_DB = 'hfit_bench';

/** Local servers the benchmark reads (the same ones the tests use). */
export const BENCH_SERVERS = {
  mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' },
} as const;

/** Name of the mixed-type table with `rows` rows. */
export const benchTable = (rows: number): string => `mixed_${rows}`;

/**
 * Creates (once; reused while its row count matches) a mixed-type table of `rows` rows in MariaDB:
 * integers, bigint beyond 2^53, decimal, double, short and long strings with quotes, backslashes,
 * newlines and non-ASCII, NULLs, datetime(6), date, JSON, varbinary and a boolean.
 */
export async function ensureMysqlTable(rows: number): Promise<void> {
  const c = await mysql.createConnection({ ...BENCH_SERVERS.mysql, multipleStatements: true });
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${BENCH_DB}; USE ${BENCH_DB}`);
    const t = `${BENCH_DB}.${benchTable(rows)}`;
    const [have] = await c.query(`SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, [BENCH_DB, benchTable(rows)]);
    if ((have as unknown[]).length) {
      const [cnt] = await c.query(`SELECT COUNT(*) AS n FROM ${t}`);
      if (Number((cnt as { n: number }[])[0]?.n) === rows) return;
    }
    await c.query(`DROP TABLE IF EXISTS ${t};
      CREATE TABLE ${t} (
        id BIGINT NOT NULL PRIMARY KEY,
        qty INT NOT NULL,
        big BIGINT UNSIGNED NOT NULL,
        price DECIMAL(14,4) NOT NULL,
        ratio DOUBLE NULL,
        code VARCHAR(32) NOT NULL,
        title VARCHAR(200) NOT NULL,
        body TEXT NULL,
        created DATETIME(6) NOT NULL,
        day DATE NOT NULL,
        attrs JSON NULL,
        blobby VARBINARY(16) NULL,
        flag TINYINT(1) NOT NULL
      ) ENGINE=InnoDB;`);
    // seq_1_to_N is MariaDB's Sequence engine: rows are generated server-side, fast.
    await c.query(`INSERT INTO ${t}
      SELECT seq, seq % 1000, 9007199254740993 + seq, seq * 1.2345, IF(seq % 10 = 0, NULL, seq / 7),
        CONCAT('C-', HEX(seq)), CONCAT('Item "', seq, '" it''s \\\\ ok'),
        IF(seq % 3 = 0, NULL, CONCAT('line one ', seq, '\\nline two — ünïcødé ✓ ', REPEAT('x', seq % 50))),
        TIMESTAMP('2020-01-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000) MICROSECOND,
        DATE('2020-01-01') + INTERVAL (seq % 3650) DAY,
        IF(seq % 4 = 0, NULL, JSON_OBJECT('k', seq, 's', 'v')),
        IF(seq % 5 = 0, NULL, UNHEX(LPAD(HEX(seq), 16, '0'))), seq % 2
      FROM seq_1_to_${rows}`);
  } finally {
    await c.end();
  }
}

/** The same table in PostgreSQL (schema public of database hfit_bench). */
export async function ensurePostgresTable(rows: number): Promise<void> {
  const admin = new pg.Client({ ...BENCH_SERVERS.postgres, database: 'postgres' });
  await admin.connect();
  try {
    const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB]);
    if (!r.rowCount) await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
  const c = new pg.Client({ ...BENCH_SERVERS.postgres, database: BENCH_DB });
  await c.connect();
  try {
    const t = `public.${benchTable(rows)}`;
    const exists = await c.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [t]);
    if (exists.rows[0].e) {
      const n = await c.query(`SELECT count(*)::int AS n FROM ${t}`);
      if (n.rows[0].n === rows) return;
    }
    await c.query(`DROP TABLE IF EXISTS ${t};
      CREATE TABLE ${t} (
        id bigint PRIMARY KEY, qty int NOT NULL, big numeric(20) NOT NULL, price numeric(14,4) NOT NULL,
        ratio double precision, code varchar(32) NOT NULL, title varchar(200) NOT NULL, body text,
        created timestamp(6) NOT NULL, day date NOT NULL, attrs jsonb, blobby bytea, flag boolean NOT NULL);
      INSERT INTO ${t}
      SELECT g, g % 1000, 9007199254740993 + g, g * 1.2345, CASE WHEN g % 10 = 0 THEN NULL ELSE g / 7.0 END,
        'C-' || to_hex(g), 'Item "' || g || '" it''s \\ ok',
        CASE WHEN g % 3 = 0 THEN NULL ELSE 'line one ' || g || E'\\nline two — ünïcødé ✓ ' || repeat('x', (g % 50)::int) END,
        timestamp '2020-01-01' + g * interval '1 second' + (g % 1000) * interval '1 microsecond',
        date '2020-01-01' + (g % 3650)::int,
        CASE WHEN g % 4 = 0 THEN NULL ELSE jsonb_build_object('k', g, 's', 'v') END,
        CASE WHEN g % 5 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 16, '0'), 'hex') END, g % 2 = 1
      FROM generate_series(1, ${rows}) AS g;
      ANALYZE ${t};`);
  } finally {
    await c.end();
  }
}
