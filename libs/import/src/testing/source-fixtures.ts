import type { ScratchDatabase } from '@hfit/db/testing';

/** Text values that break naive quoting, splitting or NULL handling in some format. */
export const TRICKY_TEXTS: readonly string[] = [
  "it's",
  'say "hi"',
  'back\\slash',
  'ends with a backslash\\',
  'tab\there',
  'line1\nline2',
  'crlf\r\nend',
  'comma, semicolon; hash # dash -- end',
  '/* not a comment */ -- nor this',
  'é ü 日本語 😀',
  '',
  'NULL',
  '\\N',
  '\\x41',
  '\\.',
  "''",
  '$$dollar$$ $hfit$',
  ' leading and trailing spaces ',
];

/** Bytes that need escaping in some format: NUL, quotes, backslash, line ends, high bytes. */
function bytesFor(i: number): Buffer | null {
  if (i % 7 === 3) return null;
  if (i % 7 === 4) return Buffer.alloc(0);
  return Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x0a, 0x0d, 0x09, 0xff, i & 0xff, 0x2c]);
}

/** A large text value (about 300 kB, multi-byte characters included). */
export const BIG_TEXT = `${'big text '.repeat(30_000)}ü😀 end`;

/** Rows in each fixture's parent table. */
export const PARENT_ROWS = 40;
/** Rows in each fixture's child table. */
export const CHILD_ROWS = 60;

/**
 * MySQL/MariaDB source: `parent` (text with every tricky value, NUL included, binary, BIT, JSON,
 * DATETIME/TIMESTAMP with fractions, DECIMAL, DOUBLE, a 300 kB text, a generated column, NULLs)
 * and `child` (AUTO_INCREMENT key with a row id 0, a foreign key to parent, NULL parents).
 */
export async function seedMysqlSource(db: ScratchDatabase): Promise<void> {
  await db.exec(`
    CREATE TABLE parent (
      id INT NOT NULL PRIMARY KEY,
      name VARCHAR(100) NULL,
      note TEXT NULL,
      bin VARBINARY(32) NULL,
      flags BIT(6) NULL,
      doc JSON NULL,
      created DATETIME(3) NULL,
      ts TIMESTAMP(6) NULL DEFAULT NULL,
      price DECIMAL(12,2) NULL,
      ratio DOUBLE NULL,
      big LONGTEXT NULL,
      twice INT AS (id * 2) STORED
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
    CREATE TABLE child (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      parent_id INT NULL,
      label VARCHAR(100) NOT NULL,
      CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`);
  const texts = [...TRICKY_TEXTS, 'nul \u0000 inside'];
  for (let i = 1; i <= PARENT_ROWS; i++) {
    const nulls = i % 5 === 0;
    await db.query(
      'INSERT INTO parent (id, name, note, bin, flags, doc, created, ts, price, ratio, big) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        i,
        texts[i % texts.length],
        nulls ? null : texts[(i + 5) % texts.length],
        bytesFor(i),
        nulls ? null : Buffer.from([i % 64]),
        nulls ? null : JSON.stringify({ k: `v"${i}\\`, list: [i, 'é'], nested: { s: texts[i % texts.length] } }),
        nulls ? null : `2024-02-${String((i % 28) + 1).padStart(2, '0')} 23:59:59.${String(i).padStart(3, '0')}`,
        nulls ? null : `2024-06-01 12:00:00.${String(i * 1001).padStart(6, '0')}`,
        nulls ? null : `${i % 2 ? '-' : ''}${i}.50`,
        nulls ? null : i / 7,
        i === 7 ? BIG_TEXT : null,
      ],
    );
  }
  await db.exec("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
  for (let i = 0; i < CHILD_ROWS; i++)
    await db.query('INSERT INTO child (id, parent_id, label) VALUES (?, ?, ?)', [i, i % 9 === 0 ? null : (i % PARENT_ROWS) + 1, texts[(i * 3) % texts.length]]);
}

/**
 * PostgreSQL source, schema `app`: `parent` (identity ALWAYS key, every tricky text, bytea, an
 * enum, jsonb, text[], timestamptz, date, interval, numeric, boolean, uuid, a 300 kB text, NULLs)
 * and `child` (serial key, a foreign key to parent, NULL parents).
 */
export async function seedPostgresSource(db: ScratchDatabase): Promise<void> {
  await db.exec(`
    CREATE SCHEMA app;
    CREATE TYPE app.mood AS ENUM ('ok', 'it''s', 'é');
    CREATE TABLE app.parent (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text, note text, bin bytea, mood app.mood, doc jsonb, tags text[], at timestamptz, day date,
      span interval, price numeric(12,2), ok boolean, uid uuid, big text);
    CREATE TABLE app.child (
      id serial PRIMARY KEY,
      parent_id int REFERENCES app.parent (id),
      label text NOT NULL);`);
  const moods = ['ok', "it's", 'é'];
  for (let i = 1; i <= PARENT_ROWS; i++) {
    const nulls = i % 5 === 0;
    await db.query(
      `INSERT INTO app.parent (id, name, note, bin, mood, doc, tags, at, day, span, price, ok, uid, big) OVERRIDING SYSTEM VALUE
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        i,
        TRICKY_TEXTS[i % TRICKY_TEXTS.length],
        nulls ? null : TRICKY_TEXTS[(i + 5) % TRICKY_TEXTS.length],
        bytesFor(i),
        nulls ? null : moods[i % moods.length],
        nulls ? null : JSON.stringify({ k: `v"${i}\\`, list: [i, 'é'], nested: { s: TRICKY_TEXTS[i % TRICKY_TEXTS.length] } }),
        nulls ? null : [TRICKY_TEXTS[i % TRICKY_TEXTS.length], 'a,b', '{x}', null],
        nulls ? null : `2024-06-01 12:00:00.${String(i * 1001).padStart(6, '0')}+02`,
        nulls ? null : `2024-02-${String((i % 28) + 1).padStart(2, '0')}`,
        nulls ? null : `${i} days ${i} hours 0.5 seconds`,
        nulls ? null : `${i % 2 ? '-' : ''}${i}.50`,
        nulls ? null : i % 2 === 0,
        nulls ? null : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        i === 7 ? BIG_TEXT : null,
      ],
    );
  }
  for (let i = 1; i <= CHILD_ROWS; i++)
    await db.query('INSERT INTO app.child (parent_id, label) VALUES ($1, $2)', [i % 9 === 0 ? null : (i % PARENT_ROWS) + 1, TRICKY_TEXTS[(i * 3) % TRICKY_TEXTS.length]]);
}
