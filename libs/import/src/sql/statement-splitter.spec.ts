import { expect } from 'chai';
import type { TargetDialect } from '../target/target-dialect.js';
import { StatementSplitter, type ScriptEvent } from './statement-splitter.js';

/** Splits a script fed in chunks of `size` characters (all at once when undefined). */
function split(dialect: TargetDialect, script: string, size?: number): ScriptEvent[] {
  const s = new StatementSplitter(dialect);
  const out: ScriptEvent[] = [];
  const step = size ?? Math.max(1, script.length);
  for (let i = 0; i < script.length; i += step) out.push(...s.push(script.slice(i, i + step)));
  out.push(...s.end());
  return out;
}

/** Events with consecutive copy-data merged (their cut depends on the chunk size, their content does not). */
function normalized(events: readonly ScriptEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const prev = out.at(-1) as { type: string; text: string; rows: number } | undefined;
    if (e.type === 'copy-data' && prev?.type === 'copy-data') {
      prev.text += e.text;
      prev.rows += e.rows;
    } else out.push({ ...e });
  }
  return out;
}

/** Asserts that every chunk size gives the same events as the whole script at once, and returns them. */
function splitAnyChunking(dialect: TargetDialect, script: string): unknown[] {
  const whole = normalized(split(dialect, script));
  for (let size = 1; size <= Math.min(script.length, 64); size++)
    expect(normalized(split(dialect, script, size)), `chunks of ${size}`).to.deep.equal(whole);
  return whole;
}

const texts = (events: readonly unknown[]) => (events as ScriptEvent[]).flatMap((e) => (e.type === 'statement' ? [e.text] : []));

describe('StatementSplitter', () => {
  describe('MySQL/MariaDB', () => {
    it('splits at semicolons outside strings, names and comments, whatever the chunk size', () => {
      const script = [
        '-- hfit database DDL (MySQL/MariaDB), option: none',
        '/*!40101 SET NAMES utf8mb4 */;',
        "INSERT INTO `t;1` (`a`, `b``c`) VALUES (1,'x;y\\';z'),(2,\"q;\\\"\"),(3,'it''s'),(4,'back\\\\'),(5,'#no');",
        '# a hash comment; still a comment',
        'SELECT 1 -- trailing comment; here',
        ', 2;',
        '/* block; comment */ SELECT 3;',
        'SELECT 4--5;',
        'SELECT 6;',
      ].join('\n');
      expect(texts(splitAnyChunking('mysql', script))).to.deep.equal([
        '/*!40101 SET NAMES utf8mb4 */',
        "INSERT INTO `t;1` (`a`, `b``c`) VALUES (1,'x;y\\';z'),(2,\"q;\\\"\"),(3,'it''s'),(4,'back\\\\'),(5,'#no')",
        'SELECT 1 -- trailing comment; here\n, 2',
        'SELECT 3',
        'SELECT 4--5',
        'SELECT 6',
      ]);
    });

    it('numbers statements by the line of their first significant character', () => {
      const events = split('mysql', "-- header\n\nSET a=1;\nINSERT INTO t VALUES\n('l1\nl2'),\n(2);\n\n  SELECT 1;") as ScriptEvent[];
      expect(events.map((e) => (e.type === 'statement' ? e.line : 0))).to.deep.equal([3, 4, 9]);
    });

    it('drops comment-only leftovers and returns a last statement without a semicolon', () => {
      expect(texts(split('mysql', 'SELECT 1;\n-- end\n/* done */\n'))).to.deep.equal(['SELECT 1']);
      expect(texts(split('mysql', 'SELECT 1;\nSELECT 2\n'))).to.deep.equal(['SELECT 1', 'SELECT 2']);
    });

    it('reports a script that ends inside a string, with the line it starts on', () => {
      expect(() => split('mysql', "SELECT 1;\nINSERT INTO t VALUES ('open\\');")).to.throw(/ends inside a quoted string that starts at line 2/);
    });
  });

  describe('PostgreSQL', () => {
    it('keeps standard strings, E-strings, quoted names, nested comments and dollar quotes whole', () => {
      const script = [
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "INSERT INTO \"s\".\"t;x\" (\"a\"\"b\") VALUES ('back\\', 'it''s;'), (E'esc\\';x'), (e'\\\\');",
        '/* outer /* inner; */ still; */ SELECT 1;',
        'DO $hfit$',
        'BEGIN',
        "  CREATE TYPE \"s\".\"k\" AS ENUM ('a;', '$x$');",
        'EXCEPTION WHEN duplicate_object THEN NULL;',
        'END',
        '$hfit$;',
        'SELECT $$a;b$$, $1, a$b$c, E$e$;',
        'SELECT 2 -- c; c',
        ';',
      ].join('\n');
      expect(texts(splitAnyChunking('postgres', script))).to.deep.equal([
        "SELECT pg_catalog.set_config('search_path', '', false)",
        "INSERT INTO \"s\".\"t;x\" (\"a\"\"b\") VALUES ('back\\', 'it''s;'), (E'esc\\';x'), (e'\\\\')",
        'SELECT 1',
        "DO $hfit$\nBEGIN\n  CREATE TYPE \"s\".\"k\" AS ENUM ('a;', '$x$');\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND\n$hfit$",
        'SELECT $$a;b$$, $1, a$b$c, E$e$',
        'SELECT 2 -- c; c',
      ]);
    });

    it('hands out COPY data up to the \\. line, rows counted, then goes on with statements', () => {
      const script = [
        "SET client_encoding = 'UTF8';",
        'COPY "s"."t" ("id", "note") FROM stdin;',
        '1\ta;b\\tc',
        '2\t\\N',
        '3\t\\\\.',
        '\\.x',
        '\\.',
        'SELECT 1;',
        'COPY "s"."u" FROM STDIN;',
        '9\t\\.',
        '\\.',
        '',
      ].join('\n');
      const events = splitAnyChunking('postgres', script);
      expect(events).to.deep.equal([
        { type: 'statement', text: "SET client_encoding = 'UTF8'", line: 1, copy: false },
        { type: 'statement', text: 'COPY "s"."t" ("id", "note") FROM stdin', line: 2, copy: true },
        { type: 'copy-data', text: '1\ta;b\\tc\n2\t\\N\n3\t\\\\.\n\\.x\n', rows: 4 },
        { type: 'copy-end' },
        { type: 'statement', text: 'SELECT 1', line: 8, copy: false },
        { type: 'statement', text: 'COPY "s"."u" FROM STDIN', line: 9, copy: true },
        { type: 'copy-data', text: '9\t\\.\n', rows: 1 },
        { type: 'copy-end' },
      ]);
    });

    it('ends COPY data at the end of the script when the \\. line is missing', () => {
      expect(normalized(split('postgres', 'COPY t FROM stdin;\n1\n2'))).to.deep.equal([
        { type: 'statement', text: 'COPY t FROM stdin', line: 1, copy: true },
        { type: 'copy-data', text: '1\n2', rows: 1 },
        { type: 'copy-end' },
      ]);
    });

    it('does not take COPY … TO STDOUT or FROM a file for inline data', () => {
      const events = split('postgres', "COPY t TO STDOUT;\nCOPY t FROM '/tmp/x';\nSELECT 1;") as ScriptEvent[];
      expect(events.map((e) => (e.type === 'statement' ? e.copy : e.type))).to.deep.equal([false, false, false]);
    });

    it('reports an unterminated dollar-quoted body', () => {
      expect(() => split('postgres', 'SELECT 1;\n\nDO $body$ BEGIN END;')).to.throw(/ends inside a \$body\$-quoted body that starts at line 3/);
    });
  });

  it('streams a large script statement by statement, with correct line numbers', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`INSERT INTO \`t\` VALUES (${i},'row ${i}; it\\'s\\n','a\\\\');`);
    const script = lines.join('\n');
    const s = new StatementSplitter('mysql');
    const got: ScriptEvent[] = [];
    for (let i = 0; i < script.length; i += 4093) got.push(...s.push(script.slice(i, i + 4093)));
    got.push(...s.end());
    expect(got).to.have.length(5000);
    expect(got[4321]).to.deep.equal({ type: 'statement', text: lines[4321]!.slice(0, -1), line: 4322, copy: false });
  });
});
