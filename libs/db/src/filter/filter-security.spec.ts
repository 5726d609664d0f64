import { expect } from 'chai';
import { sql } from 'kysely';
import { isHfitError } from '@hfit/contracts';
import type { SourceConnection, SourceType } from '../connection/source-connection.js';
import { compileFilter } from './compile-filter.js';
import { openFilterFixture, type FilterFixture } from './test-fixture.js';

/** A filter that must be refused, and a fragment its error message must contain. */
interface Attack {
  readonly filter: string;
  readonly expect: RegExp;
  readonly only?: SourceType;
}

const r = String.raw;
/** Malicious or out-of-scope filters. Every one must fail in compileFilter, before any I/O. */
const ATTACKS: readonly Attack[] = [
  // stacked statements
  { filter: '1=1; DROP TABLE items', expect: /";" \(multiple statements\)/ },
  { filter: 'id = 1; SELECT 1', expect: /multiple statements/ },
  { filter: 'id = 1;', expect: /multiple statements/ },
  { filter: 'DROP TABLE items', expect: /statement keyword "DROP"/ },
  { filter: 'COPY items TO STDOUT', expect: /statement keyword "COPY"/ },
  { filter: "id = 1 AND GRANT ALL ON *.* TO 'x'", expect: /statement keyword "GRANT"/ },
  { filter: 'id = 1 AND INSERT INTO other VALUES (2, 2)', expect: /statement keyword "INSERT"/ },
  // set operations, other clauses
  { filter: '1 UNION SELECT 1', expect: /UNION/ },
  { filter: 'id = 1 UNION ALL SELECT id FROM other', expect: /UNION/ },
  { filter: '(id = 1) UNION (SELECT secret FROM other)', expect: /UNION/ },
  { filter: 'id = 1 UNION SELECT password FROM mysql.user', expect: /UNION/ },
  { filter: 'id = 1 EXCEPT SELECT 1', expect: /EXCEPT/ },
  { filter: "id = 1 INTO OUTFILE '/tmp/hfit-x'", expect: /INTO/ },
  { filter: "id = 1 INTO DUMPFILE '/tmp/hfit-x'", expect: /INTO/ },
  { filter: 'id = 1 INTO @a', expect: /variable @a/ },
  { filter: 'id = 1 LIMIT 1', expect: /LIMIT/ },
  { filter: 'id = 1 OFFSET 5', expect: /OFFSET/ },
  { filter: 'id = 1 ORDER BY id', expect: /ORDER BY/ },
  { filter: 'id = 1 GROUP BY id', expect: /GROUP BY/ },
  { filter: 'id = 1 GROUP BY id HAVING count(*) > 0', expect: /GROUP BY/ },
  { filter: 'id = 1 HAVING id > 0', expect: /HAVING/ },
  { filter: 'id = 1 WINDOW w AS (PARTITION BY id)', expect: /WINDOW/ },
  { filter: 'id = 1 PROCEDURE ANALYSE()', expect: /PROCEDURE/ },
  { filter: 'id = 1 LOCK IN SHARE MODE', expect: /LOCK IN SHARE MODE/ },
  { filter: 'id = 1 FOR UPDATE', expect: /FOR UPDATE/ },
  { filter: 'id = 1 FOR SHARE', expect: /FOR UPDATE\/FOR SHARE/ },
  { filter: 'id = 1 WHERE id = 2', expect: /a second WHERE/ },
  // subqueries
  { filter: 'id IN (SELECT id FROM other)', expect: /subquery/ },
  { filter: 'id = (SELECT max(id) FROM items)', expect: /subquery/ },
  { filter: 'id = 1 AND (SELECT 1) = 1', expect: /subquery/ },
  { filter: 'EXISTS (SELECT 1 FROM other)', expect: /EXISTS \(subquery\)/ },
  { filter: 'NOT EXISTS (SELECT 1)', expect: /EXISTS/ },
  { filter: 'id = ANY (SELECT id FROM other)', expect: /ANY \(subquery\)/ },
  { filter: 'id = ALL (SELECT 1)', expect: /ALL \(subquery\)/ },
  { filter: 'CASE WHEN (SELECT 1) = 1 THEN 1 ELSE 0 END = 1', expect: /CASE expression/ },
  { filter: 'id IN (SELECT table_name FROM information_schema.tables)', expect: /subquery/ },
  { filter: 'id = 1 AND 1 = (SELECT 1 FROM pg_shadow)', expect: /subquery/ },
  // dangerous or information-leaking functions
  { filter: 'sleep(5) = 0', expect: /function "sleep"/ },
  { filter: 'id = 1 AND SLEEP(5)', expect: /function "sleep"/ },
  { filter: 'pg_sleep(5) IS NULL', expect: /function "pg_sleep"/ },
  { filter: 'id = 1 OR pg_catalog.pg_sleep(5) IS NULL', expect: /function "pg_catalog.pg_sleep"/ },
  { filter: "benchmark(1000000, md5('a')) = 0", expect: /function "benchmark"/ },
  { filter: "load_file('/etc/passwd') IS NOT NULL", expect: /function "load_file"/ },
  { filter: "pg_read_file('/etc/passwd') IS NOT NULL", expect: /function "pg_read_file"/ },
  { filter: "pg_ls_dir('/') IS NOT NULL", expect: /function "pg_ls_dir"/ },
  { filter: "current_setting('is_superuser') = 'on'", expect: /function "current_setting"/ },
  { filter: "set_config('statement_timeout', '0', false) = '0'", expect: /function "set_config"/ },
  { filter: "lo_import('/etc/passwd') > 0", expect: /function "lo_import"/ },
  { filter: "dblink('host=evil', 'select 1') IS NULL", expect: /function "dblink"/ },
  { filter: "query_to_xml('select 1', true, true, '') IS NOT NULL", expect: /function "query_to_xml"/ },
  { filter: "version() LIKE '%'", expect: /function "version"/ },
  { filter: "user() = 'root@localhost'", expect: /function "user"/ },
  { filter: 'id = database()', expect: /function "database"/ },
  { filter: "current_user = 'postgres'", expect: /function "current_user"/ },
  { filter: "id = 1 AND SESSION_USER = 'x'", expect: /function "session_user"/ },
  { filter: "id = 1 AND updatexml(1, '/a', 'b') IS NULL", expect: /function "updatexml"/ },
  { filter: "name = concat('a', 'b')", expect: /function "concat"/ },
  { filter: 'name = CHAR(65)', expect: /function "char"/ },
  { filter: 'id = 1 AND txid_current() > 0', expect: /function "txid_current"/ },
  { filter: 'count(*) > 0', expect: /aggregate function "count"/ },
  { filter: 'lower(name, 1) = name', expect: /function "lower" with 2 argument/ },
  { filter: "\"Lower\"(name) = 'x'", expect: /quoted function name "Lower"/, only: 'postgres' },
  // variables, assignments, parameters, casts
  { filter: 'name = @@version', expect: /variable @@version/ },
  { filter: '@x := 1', expect: /variable @x/ },
  { filter: 'id = @x', expect: /variable @x/ },
  { filter: 'id := 1', expect: /assignment ":="/ },
  { filter: 'id = ?', expect: /parameter "\?"/ },
  { filter: 'id = $1', expect: /\$/ },
  { filter: 'id = :id', expect: /parameter ":id"/ },
  { filter: 'id::regclass IS NOT NULL', expect: /cast "::regclass"/ },
  { filter: "'items'::regclass IS NOT NULL", expect: /cast "::regclass"/ },
  { filter: "id = CAST('1' AS int)", expect: /cast/ },
  { filter: "id = CONVERT('1', SIGNED)", expect: /CONVERT/ },
  // comments: the parser would silently drop them
  { filter: 'id = 1 -- ', expect: /comment "--"/ },
  { filter: 'id = 1 --', expect: /comment "--"/ },
  { filter: "id = 1 OR 1=1 -- '", expect: /comment "--"/ },
  { filter: 'id = 1 # x', expect: /"#"/ },
  { filter: "id = 1 AND name = N'x' OR 1=1 #", expect: /"#"/ },
  { filter: 'id = 1 /* x */', expect: /comment "\/\*"/ },
  { filter: 'id = 1 /*! OR 1=1 */', expect: /comment "\/\*"/ },
  { filter: 'id = 1 */', expect: /comment "\*\/"/ },
  // other tables and databases
  { filter: 'other.id = 1', expect: /column "id" of another table "other"/ },
  { filter: 'items.id = 1 AND other.secret IS NOT NULL', expect: /column "secret" of another table "other"/ },
  { filter: 'information_schema.tables.table_name IS NOT NULL', expect: /of another table "information_schema.tables"/ },
  { filter: "pg_catalog.pg_user.usename = 'postgres'", expect: /of another table "pg_catalog.pg_user"/ },
  { filter: 'secret IS NOT NULL', expect: /no column "secret"/ },
  // string-escape tricks and look-alike characters
  { filter: r`name = '\'' OR 1=1 --`, expect: /unterminated string literal|comment "--"/ },
  { filter: r`name = '\\'' OR 1=1 --`, expect: /unterminated string literal|comment "--"/ },
  { filter: "name = 'a", expect: /unterminated string literal/ },
  { filter: 'name = \u2018a\u2019 OR 1=1', expect: /U\+2018/ },
  { filter: "name = \u02BCa' OR 1=1", expect: /U\+02BC/ },
  { filter: 'name = \uFF07a\uFF07 OR 1=1', expect: /U\+FF07/ },
  { filter: 'name = $$a$$', expect: /dollar-quoted string/ },
  { filter: 'name = $tag$a$tag$', expect: /dollar-quoted string/ },
  { filter: "name = _utf8'a' OR 1=1", expect: /character set introducer "_utf8"/ },
  { filter: "name = X'41'", expect: /string prefix X'…'/ },
  { filter: "name = U&'\\0041'", expect: /operator "&"/ },
  { filter: 'id = 0x41', expect: /hex\/bit literal/ },
  { filter: r`id = 1 \g`, expect: /backslash outside a string literal/ },
  { filter: 'id = 1 \u0000', expect: /control character/ },
  // operators and constructs outside the grammar
  { filter: "name REGEXP '^a'", expect: /operator REGEXP/ },
  { filter: "name SIMILAR TO 'a'", expect: /SIMILAR TO/ },
  { filter: "name ~ 'a'", expect: /operator "~"/ },
  { filter: "name || 'x' = 'ax'", expect: /operator "\|\|"/ },
  { filter: 'id = 1 && 1', expect: /operator "&&"/ },
  { filter: 'id <=> 1', expect: /operator "<=>"/ },
  { filter: 'id = 1 XOR 1', expect: /operator XOR/ },
  { filter: "name = 'x' COLLATE utf8mb4_bin", expect: /COLLATE/ },
  { filter: "id = 1 AND INTERVAL '1 day' IS NOT NULL", expect: /INTERVAL/ },
  { filter: 'id = 1 AND ARRAY[1] IS NOT NULL', expect: /array subscript "\["/ },
  { filter: 'id = 1 AND ARRAY(SELECT 1) IS NOT NULL', expect: /ARRAY/ },
  { filter: 'id = ROW(1)', expect: /ROW constructor/ },
  { filter: 'id % 2 = 0', expect: /operator "%"/ },
  { filter: 'id = 1 AND name ILIKE \'a\'', expect: /ILIKE \(PostgreSQL only\)/, only: 'mysql' },
  { filter: '`id` = 1', expect: /backtick quoting/, only: 'postgres' },
  { filter: 'id IN (id, 2)', expect: /column "id" in IN list/ },
  { filter: 'id < 3 = 1', expect: /a condition as an operand of "="/ },
  { filter: `${'('.repeat(40)}id = 1${')'.repeat(40)}`, expect: /nesting deeper than 32/ },
  { filter: 'id = 1 OR', expect: /ends too early/ },
];

/** Counts statements sent through a connection's driver object (every Kysely query passes here). */
function countDriverCalls(conn: SourceConnection): { readonly calls: () => number; restore(): void } {
  const target = (conn.raw.type === 'mysql' ? conn.raw.conn : conn.raw.client) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const methods = conn.raw.type === 'mysql' ? ['query', 'execute'] : ['query'];
  let n = 0;
  const originals = methods.map((m) => [m, target[m]] as const);
  for (const [m, fn] of originals) {
    target[m] = function (this: unknown, ...args: unknown[]) {
      n++;
      return fn!.apply(this, args);
    };
  }
  return {
    calls: () => n,
    restore: () => originals.forEach(([m, fn]) => (target[m] = fn!)),
  };
}

/**
 * A server-side view of the session's activity that moves with every statement it runs.
 * MariaDB: the session's own `Questions` status counter (the SHOW itself counts one).
 * PostgreSQL: `pg_stat_activity.query_start` of the session's backend, read from another
 * connection (pg_stat_statements is not installed).
 */
async function serverMark(fx: FilterFixture): Promise<string> {
  const conn = fx.session.connection;
  if (conn.raw.type === 'mysql') {
    const rows = (await sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Questions'`.execute(conn.kysely)).rows;
    return String(rows[0]?.Value);
  }
  const pid = (conn.raw.client as unknown as { processID: number }).processID;
  const rows = await fx.scratch.query<{ qs: string; query: string }>('SELECT query_start::text AS qs, query FROM pg_stat_activity WHERE pid = $1', [pid]);
  expect(rows, 'session backend visible in pg_stat_activity').to.have.length(1);
  return `${rows[0]!.qs} ${rows[0]!.query}`;
}

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`filter compiler: malicious filters (${type})`, function () {
    this.timeout(60_000);
    let fx: FilterFixture;
    const attacks = ATTACKS.filter((a) => a.only === undefined || a.only === type);
    beforeEach(async () => {
      fx = await openFilterFixture(type);
    });
    afterEach(async () => fx.close());

    it(`rejects all ${attacks.length} of them by name, and not one statement reaches the server`, async () => {
      expect(attacks.length).to.be.at.least(50);
      const before = await serverMark(fx);
      const hook = countDriverCalls(fx.session.connection);
      const failures: string[] = [];
      try {
        for (const a of attacks) {
          try {
            const c = compileFilter(a.filter, fx.ctx);
            failures.push(`${JSON.stringify(a.filter)}: accepted as ${c.text}`);
          } catch (e) {
            if (!isHfitError(e)) failures.push(`${JSON.stringify(a.filter)}: non-hfit error ${String(e)}`);
            else if (!['FILTER_REJECTED', 'FILTER_SYNTAX', 'COLUMN_UNKNOWN'].includes(e.code))
              failures.push(`${JSON.stringify(a.filter)}: code ${e.code}`);
            else if (!a.expect.test(e.message)) failures.push(`${JSON.stringify(a.filter)}: message "${e.message}" lacks ${a.expect}`);
            else if (e.field !== 'exports.rows.data.filter') failures.push(`${JSON.stringify(a.filter)}: field ${String(e.field)}`);
          }
        }
      } finally {
        hook.restore();
      }
      expect(failures).to.deep.equal([]);
      expect(hook.calls(), 'driver calls during compilation').to.equal(0);
      const after = await serverMark(fx);
      if (type === 'mysql') expect(Number(after) - Number(before), 'Questions delta (the second SHOW only)').to.equal(1);
      else expect(after, 'query_start of the session backend').to.equal(before);
    });

    it('the same counters do move when a statement is sent (control)', async () => {
      const before = await serverMark(fx);
      const hook = countDriverCalls(fx.session.connection);
      try {
        await sql`SELECT 1`.execute(fx.session.connection.kysely);
      } finally {
        hook.restore();
      }
      expect(hook.calls()).to.equal(1);
      const after = await serverMark(fx);
      if (type === 'mysql') expect(Number(after) - Number(before)).to.equal(2);
      else expect(after).to.not.equal(before);
    });
  });
}
