import { expect } from 'chai';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { samplePeakMemory } from '@hfit/contracts/testing';
import type { RowFormat } from '@hfit/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@hfit/db/testing';
import { importPackage } from './import-package.js';
import { buildTestPackage } from './testing/build-test-package.js';
import { targetUrl } from './testing/target-url.js';

const ROWS = 320_000;
const MiB = 1024 * 1024;
/** Most the import may hold beyond what the process held before it: far less than any data file here. */
const MEMORY_BOUND = 40 * MiB;

describe('importPackage: a 200k-row table streams with bounded memory @memory', function () {
  this.timeout(300_000);
  let work: string;
  let mySource: ScratchDatabase;
  let pgSource: ScratchDatabase;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hfit-import-big-'));
    [mySource, pgSource] = await Promise.all([createScratchDatabase('mysql', 'hfit_src'), createScratchDatabase('postgres', 'hfit_src')]);
    await mySource.exec(`CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(300) NOT NULL, note TEXT NULL);
      INSERT INTO big SELECT seq, CONCAT(REPEAT('x', 250), seq), IF(seq % 3 = 0, NULL, 'it''s a \\\\ note; -- not a comment') FROM seq_1_to_${ROWS};`);
    await pgSource.exec(`CREATE SCHEMA app; CREATE TABLE app.big (id int PRIMARY KEY, payload text NOT NULL, note text);
      INSERT INTO app.big SELECT g, repeat('x', 250) || g, CASE WHEN g % 3 = 0 THEN NULL ELSE E'it''s a \\\\ note;\\t-- not a comment' END
      FROM generate_series(1, ${ROWS}) g;`);
  });

  after(async () => {
    await Promise.all(cleanups.map((c) => c()));
    await Promise.all([mySource?.drop(), pgSource?.drop()]);
    await rm(work, { recursive: true, force: true });
  });

  const cases: { type: 'mysql' | 'postgres'; format: RowFormat }[] = [
    { type: 'mysql', format: 'sql' },
    { type: 'mysql', format: 'ndjson' },
    { type: 'postgres', format: 'copy' },
    { type: 'postgres', format: 'csv' },
  ];
  for (const { type, format } of cases) {
    it(`${type === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'}, ${format} rows`, async () => {
      const source = type === 'mysql' ? mySource : pgSource;
      const table = type === 'mysql' ? `${mySource.name}.big` : 'app.big';
      const dir = await buildTestPackage(
        work,
        `hfitVersion: 1
templateName: big
packageName: big_${type}_${format}
exports:
  schema.sql: { type: dbcreate, data: { dbms: src, tablelist: [${type === 'mysql' ? mySource.name : 'app'}] } }
  big.data: { type: table-data, data: { dbms: src, table: ${table}, format: ${format} } }
`,
        [{ ...source.source, name: 'src' }],
      );
      const fileBytes = (await stat(path.join(dir, 'big.data'))).size;
      expect(fileBytes).to.be.greaterThan(2 * MEMORY_BOUND);
      const db = await createScratchDatabase(type, 'hfit_imp');
      cleanups.push(() => db.drop());

      const sampler = samplePeakMemory(25);
      const report = await importPackage(dir, { target: targetUrl(db) });
      const growth = sampler.stop() - sampler.baseline;

      expect(report.tables.map((t) => t.rows)).to.deep.equal([ROWS]);
      expect(growth, `held ${(growth / MiB).toFixed(1)} MiB for a ${(fileBytes / MiB).toFixed(1)} MiB file`).to.be.lessThan(MEMORY_BOUND);
      const check =
        type === 'mysql'
          ? 'SELECT COUNT(*), SUM(LENGTH(payload)), COUNT(note), SUM(CRC32(CONCAT_WS(0x1f, id, payload, note)) % 1000003) FROM big'
          : "SELECT count(*), sum(length(payload)), count(note), sum(('x' || substr(md5(concat_ws(chr(31), id, payload, note)), 1, 8))::bit(32)::bigint % 1000003) FROM app.big";
      const totals = async (d: ScratchDatabase) => (await d.query(check)).map((r) => Object.values(r as object).map(Number));
      expect(await totals(db)).to.deep.equal(await totals(source));
    });
  }
});
