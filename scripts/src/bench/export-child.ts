import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { RowFormat } from '@hfit/contracts';
import type { SourceConfig } from '@hfit/config';
import { exportTableRows, openExtractionSession } from '@hfit/db';
import { BENCH_DB, BENCH_SERVERS, benchTable } from './bench-tables.js';

/**
 * One hfit table export in a fresh process, so that its peak RSS is the export's alone.
 * argv: mysql|postgres format rows outFile batchSize. Prints {rows, ms, maxRssMB} as JSON.
 */
async function main(): Promise<void> {
  const [type, format, rowsArg, outFile, batchArg] = process.argv.slice(2) as [
    'mysql' | 'postgres', RowFormat, string, string, string,
  ];
  const source: SourceConfig = {
    name: `bench_${type}`,
    type,
    ...BENCH_SERVERS[type],
    databases: [],
    ...(type === 'postgres' ? { database: BENCH_DB } : {}),
    statementTimeoutMs: 3_600_000,
    rowsTimeoutMs: 3_600_000,
    poolSize: 1,
  };
  const t0 = performance.now();
  const session = await openExtractionSession(source);
  try {
    const table = await session.catalog.table(`${type === 'mysql' ? BENCH_DB : 'public'}.${benchTable(Number(rowsArg))}`);
    const out = createWriteStream(outFile, { highWaterMark: 1 << 20 });
    const r = await exportTableRows(session, { table, format, batchSize: Number(batchArg) }, out);
    out.end();
    await finished(out);
    const ms = performance.now() - t0;
    process.stdout.write(JSON.stringify({ rows: r.rows, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
  } finally {
    await session.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
