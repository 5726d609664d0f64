import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SourceConfig } from '@hfit/config';

/**
 * Seeds the demo data: the `shop` database on MySQL/MariaDB, the `analytics` schema in the
 * `hfit_demo` PostgreSQL database, and one invoice file per order on the `invoices` volume (plus an
 * older draft for some orders, so `sort: mtime|desc` has something to choose between).
 */
export async function seedDemo(opts: { infraDir: string; mysqlSource: SourceConfig; pgSource: SourceConfig; invoicesRoot: string }): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const my = await mysql.createConnection({
    host: opts.mysqlSource.host,
    port: opts.mysqlSource.port ?? 3306,
    user: opts.mysqlSource.user,
    password: opts.mysqlSource.password,
    multipleStatements: true,
  });
  try {
    await my.query(await readFile(path.join(opts.infraDir, 'seed-mysql.sql'), 'utf8'));
  } finally {
    await my.end();
  }
  const database = opts.pgSource.database ?? 'hfit_demo';
  const conn = { host: opts.pgSource.host, port: opts.pgSource.port ?? 5432, user: opts.pgSource.user, password: opts.pgSource.password };
  const admin = new pg.Client({ ...conn, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // CREATE DATABASE takes no parameters; the name comes from the demo's own config file.
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ ...conn, database });
  await client.connect();
  try {
    await client.query(await readFile(path.join(opts.infraDir, 'seed-postgres.sql'), 'utf8'));
  } finally {
    await client.end();
  }
  await rm(opts.invoicesRoot, { recursive: true, force: true });
  await mkdir(opts.invoicesRoot, { recursive: true });
  const base = Date.UTC(2024, 3, 1) / 1000;
  for (let order = 1; order <= 200; order++) {
    const customer = 1 + ((order * 7) % 50);
    const final = path.join(opts.invoicesRoot, `invoice_${order}_${customer}_final.txt`);
    await writeFile(final, `INVOICE ${order}\ncustomer: ${customer}\nstatus: final\n`);
    await utimes(final, base + order * 3600, base + order * 3600);
    if (order % 2 === 0) {
      const draft = path.join(opts.invoicesRoot, `invoice_${order}_${customer}_draft.txt`);
      await writeFile(draft, `INVOICE ${order}\ncustomer: ${customer}\nstatus: draft\n`);
      await utimes(draft, base, base);
    }
  }
}
