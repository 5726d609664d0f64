import { expect } from 'chai';
import type { ColumnInfo, TableInfo } from '../../introspection/table-info.js';
import { CopyLineSplitter } from './copy-line-splitter.js';
import { CopyFieldCountError, CopyToSqlConverter } from './copy-to-sql-converter.js';
import { decodeCopyLine } from './decode-copy-line.js';
import type { PostgresExportTarget } from './postgres-export-target.js';
import type { PostgresValueKind } from './postgres-value-kind.js';
import { createSqlInsertRenderer, sqlInsertPrefix } from './sql-insert-renderer.js';

const KINDS: PostgresValueKind[] = ['integer', 'decimal', 'bool', 'bytea', 'text', 'text'];

function target(kinds: PostgresValueKind[]): PostgresExportTarget {
  const columns = kinds.map((k, i): ColumnInfo => ({
    name: `c${i} ${k}`,
    ordinal: i + 1,
    dataType: k,
    columnType: k,
    nullable: true,
    defaultExpr: null,
    generated: false,
    typeCategory: '',
    typeKind: 'b',
    typeSchema: 'pg_catalog',
  }));
  const table: TableInfo = { database: 's"x', name: 't.1', columns, primaryKey: [], foreignKeys: [] };
  return { table, columns, kinds, overridingSystemValue: false };
}

/** The string pipeline the converter must match byte for byte. */
function viaRenderer(copyText: string, t: PostgresExportTarget, batchSize: number): string {
  const r = createSqlInsertRenderer(t, batchSize);
  const splitter = new CopyLineSplitter();
  let s = '';
  for (const line of splitter.push(Buffer.from(copyText))) s += r.row(decodeCopyLine(line, t.kinds.length)!);
  return s + r.end();
}

function viaConverter(copyText: string, t: PostgresExportTarget, batchSize: number, cut: number): string {
  const c = new CopyToSqlConverter(t.kinds, `${sqlInsertPrefix(t)}\n(`, batchSize, 64);
  const bytes = Buffer.from(copyText);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += cut) {
    c.push(bytes.subarray(i, i + cut));
    if (c.size > 100) parts.push(c.take());
  }
  expect(c.pendingBytes).to.equal(0);
  c.finish();
  parts.push(c.take());
  return Buffer.concat(parts).toString('utf8');
}

describe('CopyToSqlConverter', () => {
  const lines = [
    '1\t1.5\tt\t\\\\x00ff\tplain\t',
    '-9223372036854775808\tNaN\tf\t\\\\x\tit\'s \\\\ "q" \\t\\n\\r\\b\\f\\v\t\\N',
    '0\t-0\t\\N\t\\N\t\\N\t\\\\N',
    '2\t-Infinity\tt\t\\\\xdeadbeef\té 中 😀 𐍈\t\'\'\'',
    '3\t1e-308\tf\t\\\\x41\toctal \\101\\047 hex \\x42\\x27 other \\q\ttrailing\\',
    '4\t1.7976931348623157e+308\tt\t\\\\x00\t\\303\\251\t',
  ];
  const copyText = `${lines.join('\n')}\n`;

  it('writes the same INSERTs as the string renderer, wherever the chunks are cut', () => {
    const t = target(KINDS);
    for (const batchSize of [1, 2, 4, 1000]) {
      const expected = viaRenderer(copyText, t, batchSize);
      for (const cut of [1, 2, 3, 7, 64, 100_000]) expect(viaConverter(copyText, t, batchSize, cut), `batch ${batchSize} cut ${cut}`).to.equal(expected);
    }
    expect(viaRenderer(copyText, t, 4)).to.contain(`(3, 1e-308, false, '\\x41', 'octal A'' hex B'' other q', 'trailing\\')`);
    expect(viaRenderer(copyText, t, 4)).to.contain(`(0, '-0', NULL, NULL, NULL, '\\N'),`);
  });

  it('handles a single text column holding the empty string (an empty COPY line)', () => {
    const t = target(['text']);
    expect(viaConverter('\n\\N\nx\n', t, 10, 1)).to.equal(`INSERT INTO "s""x"."t.1" ("c0 text") VALUES\n(''),\n(NULL),\n('x');\n`);
  });

  it('rejects lines with too few or too many fields', () => {
    const t = target(['integer', 'text']);
    expect(() => viaConverter('1\n', t, 10, 100)).to.throw(CopyFieldCountError);
    expect(() => viaConverter('1\ta\tb\n', t, 10, 100)).to.throw(CopyFieldCountError);
  });
});
