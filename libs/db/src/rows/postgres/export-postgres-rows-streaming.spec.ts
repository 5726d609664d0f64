import { Writable } from 'node:stream';
import { samplePeakMemory } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { sql, type SqlBool } from 'kysely';
import type { RowFormat } from '@hfit/contracts';
import { openExtractionSession, type ExtractionSession } from '../../connection/extraction-session.js';
import { createScratchDatabase, type ScratchDatabase } from '../../testing/index.js';
import { exportPostgresRows } from './export-postgres-rows.js';


/** A destination that takes about 40 MB/s, far slower than the database produces. */
class SlowSink extends Writable {
  bytes = 0;
  maxQueued = 0;
  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.maxQueued = Math.max(this.maxQueued, this.writableLength);
    let n = 0;
    for (const { chunk } of chunks) n += chunk.length;
    this.bytes += n;
    setTimeout(cb, Math.ceil(n / 40_000));
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this._writev([{ chunk }], cb);
  }
}

describe('exportPostgresRows streaming', function () {
  this.timeout(120_000);
  let source: ScratchDatabase;
  let session: ExtractionSession;

  before(async () => {
    source = await createScratchDatabase('postgres');
    await source.exec(`CREATE SCHEMA app;
      CREATE TABLE app.wide AS SELECT g AS id, repeat(md5(g::text), 12) AS pad, g / 7.0 AS n,
        '2024-01-01'::timestamptz + g * interval '1 second' AS at, decode(md5(g::text), 'hex') AS raw
      FROM generate_series(1, 200000) g;
      ALTER TABLE app.wide ADD PRIMARY KEY (id);`);
  });
  after(async () => source.drop());
  beforeEach(async () => {
    session = await openExtractionSession(source.source);
  });
  afterEach(async () => session.close());

  const cases: { format: RowFormat; filtered: boolean }[] = [
    { format: 'sql', filtered: false },
    { format: 'csv', filtered: false },
    { format: 'copy', filtered: false },
    { format: 'ndjson', filtered: true },
  ];
  for (const { format, filtered } of cases) {
    it(`200k rows as ${format}${filtered ? ' through the cursor' : ' through COPY'} into a slow writer keep memory bounded @memory`, async () => {
      const table = await session.catalog.table('app.wide');
      const out = new SlowSink();
      const sampler = samplePeakMemory(100);
      let peak = 0;
      const where = filtered ? sql<SqlBool>`${sql.ref('id')} > ${0}` : undefined;
      try {
        const { rows } = await exportPostgresRows(session, { table, format, batchSize: 1000, where }, out);
        expect(rows).to.equal(200_000);
      } finally {
        peak = sampler.stop() - sampler.baseline;
      }
      await new Promise<void>((resolve) => out.end(resolve));
      // Far more went out than was ever held: the export waited for the slow writer.
      expect(out.bytes).to.be.above(80e6);
      expect(peak, `peak live growth ${(peak / 1e6).toFixed(1)} MB for ${(out.bytes / 1e6).toFixed(0)} MB written`).to.be.below(32e6);
      expect(out.maxQueued).to.be.below(2.5 * 1024 * 1024);
    });
  }
});
