import type { SourceType } from '../connection/source-connection.js';
import { openExtractionSession, type ExtractionSession } from '../connection/extraction-session.js';
import type { TableInfo } from '../introspection/table-info.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import type { FilterContext } from './compile-filter.js';

/** One row of the test table, as JS sees it (the same data is loaded into both servers). */
export interface FixtureRow {
  id: number;
  key: number;
  name: string;
  note: string | null;
  created: string;
  updated: string;
  price: string;
  active: boolean;
  big: bigint;
  label: string;
}

const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const pad = (n: number) => String(n).padStart(2, '0');

/** 40 generated rows plus a few with awkward strings (quote, backslash, underscore, percent). */
export const FIXTURE_ROWS: readonly FixtureRow[] = [
  ...Array.from({ length: 40 }, (_, k): FixtureRow => {
    const id = k + 1;
    const month = [12, 1, 2, 3][id % 4]!;
    const created = `${month === 12 ? 2023 : 2024}-${pad(month)}-${pad(1 + ((id * 5) % 28))}`;
    return {
      id,
      key: (id * 7) % 50,
      name: `${NAMES[id % 5]}-${id}`,
      note: id % 4 === 0 ? null : `n${id % 3}`,
      created,
      updated: `${created} ${pad(id % 24)}:${pad((id * 13) % 60)}:00`,
      price: ((id * 325) / 100).toFixed(2),
      active: id % 3 === 0,
      big: 9007199254740993n + BigInt(id),
      label: id % 2 ? 'Odd' : 'even',
    };
  }),
  { id: 41, key: 41, name: "it's", note: 'back\\slash', created: '2024-05-01', updated: '2024-05-01 00:00:00', price: '0.10', active: false, big: 1n, label: 'x' },
  { id: 42, key: 42, name: 'under_score', note: '100%', created: '2024-05-02', updated: '2024-05-02 23:59:59', price: '-5.50', active: true, big: -1n, label: 'x' },
];

/** A scratch database on a real server holding `items` (with a column named `key`) and `other`. */
export interface FilterFixture {
  readonly scratch: ScratchDatabase;
  readonly session: ExtractionSession;
  readonly table: TableInfo;
  /** `database` of the table as templates name it (MySQL database / PostgreSQL schema). */
  readonly database: string;
  readonly ctx: FilterContext;
  close(): Promise<void>;
}

/** Creates, loads and opens the fixture; `close()` ends the session and drops the database. */
export async function openFilterFixture(type: SourceType): Promise<FilterFixture> {
  const scratch = await createScratchDatabase(type, 'hfit_filter');
  try {
    const database = type === 'mysql' ? scratch.name : 'app';
    const q = (s: string) => (type === 'mysql' ? `\`${s}\`` : `"${s}"`);
    if (type === 'postgres') await scratch.exec('CREATE SCHEMA app');
    const t = `${q(database)}.items`;
    await scratch.exec(
      type === 'mysql'
        ? `CREATE TABLE ${t} (id INT PRIMARY KEY, \`key\` INT NOT NULL, name VARCHAR(40) NOT NULL, note VARCHAR(40) NULL,
             created DATE NOT NULL, updated DATETIME NOT NULL, price DECIMAL(12,2) NOT NULL, active BOOLEAN NOT NULL,
             big BIGINT NOT NULL, Label VARCHAR(10) NOT NULL)`
        : `CREATE TABLE ${t} (id INT PRIMARY KEY, "key" INT NOT NULL, name VARCHAR(40) NOT NULL, note VARCHAR(40) NULL,
             created DATE NOT NULL, updated TIMESTAMP NOT NULL, price NUMERIC(12,2) NOT NULL, active BOOLEAN NOT NULL,
             big BIGINT NOT NULL, "Label" VARCHAR(10) NOT NULL)`,
    );
    await scratch.exec(`CREATE TABLE ${q(database)}.other (id INT PRIMARY KEY, secret VARCHAR(20))`);
    await scratch.exec(`INSERT INTO ${q(database)}.other VALUES (1, 'hidden')`);
    const params = FIXTURE_ROWS.flatMap((r) => [r.id, r.key, r.name, r.note, r.created, r.updated, r.price, r.active, String(r.big), r.label]);
    const placeholders = FIXTURE_ROWS.map((_, i) =>
      type === 'mysql' ? '(?,?,?,?,?,?,?,?,?,?)' : `(${Array.from({ length: 10 }, (_, j) => `$${i * 10 + j + 1}`).join(',')})`,
    ).join(',');
    await scratch.query(`INSERT INTO ${t} VALUES ${placeholders}`, params);
    const session = await openExtractionSession(scratch.source);
    const table = await session.catalog.table(`${database}.items`);
    return {
      scratch,
      session,
      table,
      database,
      ctx: { dialect: type, table, catalog: session.catalog, field: 'exports.rows.data.filter' },
      async close() {
        try {
          await session.close();
        } finally {
          await scratch.drop();
        }
      },
    };
  } catch (e) {
    await scratch.drop();
    throw e;
  }
}
