import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SourceConfig, VolumeConfig } from '@hfit/config';
import { HfitError, isHfitError, ManifestSchema, type ErrorCode } from '@hfit/contracts';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '@hfit/db/testing';
import { buildPackage, MANIFEST_PATH } from './build-package.js';
import type { BuildProgress, EngineConfig, ReadRequest } from './engine-config.js';
import { DirectorySink } from './sink/directory-sink.js';

const run = promisify(execFile);

/** Loads an SQL file into a database with the stock client, as a user would. */
async function loadWithStockClient(type: 'mysql' | 'postgres', database: string, file: string): Promise<void> {
  if (type === 'mysql') {
    await run('sh', ['-c', `mariadb -h ${TEST_SERVERS.mysql.host} -P ${TEST_SERVERS.mysql.port} -u root ${database} < "${file}"`]);
  } else {
    await run('psql', ['-h', TEST_SERVERS.postgres.host, '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file]);
  }
}

describe('buildPackage', function () {
  this.timeout(120_000);
  let my: ScratchDatabase;
  let pgdb: ScratchDatabase;
  let work: string;
  let volumeRoot: string;
  let config: EngineConfig;

  beforeEach(async () => {
    [my, pgdb] = await Promise.all([createScratchDatabase('mysql'), createScratchDatabase('postgres')]);
    await my.exec(`
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(80) NULL);
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, \`key\` INT NOT NULL, note TEXT NULL,
        CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers(id));
      INSERT INTO customers VALUES (1, 'Ann', 'ann@example.test'), (2, 'Bob ''the'' builder', NULL), (3, 'Cé\\\\lia', '');
      INSERT INTO orders VALUES (10, 1, 5, 'first'), (11, 2, 20, NULL), (12, 2, 30, 'multi\\nline'), (13, 3, 40, 'x');`);
    await pgdb.exec(`
      CREATE SCHEMA app;
      CREATE TABLE app.events (id int PRIMARY KEY, order_id int NOT NULL, "key" int NOT NULL, payload jsonb);
      INSERT INTO app.events VALUES (1, 10, 13, '{"a":1}'), (2, 11, 20, NULL), (3, 12, 33, '{"b":[1,2]}'), (4, 12, 34, '{}');`);
    work = await mkdtemp(path.join(tmpdir(), 'hfit-engine-'));
    volumeRoot = path.join(work, 'volume');
    await mkdir(path.join(volumeRoot, 'docs'), { recursive: true });
    await writeFile(path.join(volumeRoot, 'docs/invoice_11_2_a.txt'), 'invoice 11 (a)\n');
    await writeFile(path.join(volumeRoot, 'docs/invoice_11_2_b.txt'), 'invoice 11 (b)\n');
    await writeFile(path.join(work, 'secret.txt'), 'outside the volume\n');
    await symlink(path.join(work, 'secret.txt'), path.join(volumeRoot, 'docs/escape.txt'));
    const sources: SourceConfig[] = [
      { ...my.source, name: 'mydb' },
      { ...pgdb.source, name: 'pgdb' },
    ];
    const volumes: VolumeConfig[] = [{ name: 'vol', root: volumeRoot, symlinks: 'confine' }];
    config = { sources, volumes, batchSize: 2 };
  });

  afterEach(async () => {
    await Promise.all([my.drop(), pgdb.drop()]);
    await rm(work, { recursive: true, force: true });
  });

  const template = (exports: string, prepare = '') => `hfitVersion: 1
templateName: t1
packageName: pkg_$1
prepare:
  - setVar: orderId
    from: input
    source: $1
${prepare}
exports:
${exports}`;

  const build = (text: string, args: string[] = ['11']) =>
    buildPackage(text, args, config, (name) => new DirectorySink(path.join(work, 'out'), name));

  it('runs prepare (input, dbquery, volume) and every export type, writing files and a manifest', async () => {
    const text = template(
      `  schema.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [${my.name}] } }
  customers.create.sql: { type: create-table, data: { dbms: mydb, table: ${my.name}.customers } }
  customer.data.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.customers, filter: "WHERE id = \${customerId}" } }
  orders.csv: { type: table-data, data: { dbms: mydb, table: ${my.name}.orders, filter: "key<34 AND key>12", format: csv } }
  events.data.sql: { type: table-data, data: { dbms: pgdb, table: app.events, filter: "key<34 AND key>12", format: copy } }
  events.create.sql: { type: table-create, data: { dbms: pgdb, tablelist: [app.events], option: ifnotexists } }
  invoice_\${invoice}.txt: { type: file, data: { volume: vol, path: "docs/invoice_\${orderId}_\${customerId}_\${invoice}.txt" } }
  docs: { type: files, data: { volume: vol, glob: "docs/invoice_\${orderId}_*.txt" } }`,
      `  - setVar: customerId
    from: hot-data
    hdata: { type: dbquery, dbms: mydb, query: "SELECT customer_id FROM ${my.name}.orders WHERE id = \${orderId}" }
  - setVar: invoice
    from: hot-data
    hdata: { type: volume, volume: vol, glob: "docs/invoice_\${orderId}_\${customerId}_*.txt", sort: "name|desc", regex_replace: "/^invoice_\\\\d+_\\\\d+_(.*)\\\\.txt$/$1/" }`,
    );
    const { packageName, manifest } = await build(text);
    expect(packageName).to.equal('pkg_11');
    expect(ManifestSchema.parse(manifest)).to.be.an('object');
    expect(manifest.variables).to.deep.equal([
      { variable: 'orderId', value: '11', source: 'input', origin: '$1' },
      { variable: 'customerId', value: '2', source: 'dbquery', origin: 'mydb' },
      { variable: 'invoice', value: 'b', source: 'volume', origin: 'vol:docs/invoice_11_2_b.txt' },
    ]);
    const dir = path.join(work, 'out', 'pkg_11');
    const paths = manifest.files.map((f) => f.path);
    expect(paths).to.deep.equal([...paths].sort());
    expect(paths).to.include.members([
      'customer.data.sql', 'customers.create.sql', 'docs/docs/invoice_11_2_a.txt', 'docs/docs/invoice_11_2_b.txt',
      'events.create.sql', 'events.data.sql', 'invoice_b.txt', 'orders.csv', 'schema.sql',
    ]);
    for (const f of manifest.files) {
      const bytes = await readFile(path.join(dir, f.path));
      expect(createHash('sha256').update(bytes).digest('hex'), f.path).to.equal(f.sha256);
      expect(bytes.length).to.equal(f.bytes);
    }
    const rows = Object.fromEntries(manifest.files.filter((f) => f.rows !== undefined).map((f) => [f.path, f.rows]));
    expect(rows).to.deep.equal({ 'customer.data.sql': 1, 'orders.csv': 2, 'events.data.sql': 3 });
    expect(await readFile(path.join(dir, 'invoice_b.txt'), 'utf8')).to.equal('invoice 11 (b)\n');
    const onDisk = JSON.parse(await readFile(path.join(dir, MANIFEST_PATH), 'utf8'));
    expect(onDisk).to.deep.equal(JSON.parse(JSON.stringify(manifest)));
    expect(manifest.sources.map((s) => [s.name, s.consistency])).to.deep.equal([['mydb', 'snapshot'], ['pgdb', 'snapshot']]);
    expect((await readdir(path.join(work, 'out'))).filter((n) => n.startsWith('.'))).to.deep.equal([]);
  });

  it('round-trips DDL + filtered rows into fresh databases with the stock clients', async () => {
    const text = template(
      `  a.create.sql: { type: table-create, data: { dbms: mydb, tablelist: [${my.name}.customers, ${my.name}.orders] } }
  b.customers.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.customers } }
  c.orders.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.orders, filter: "customer_id IN (2, 3) OR note IS NULL" } }
  d.events.create.sql: { type: table-create, data: { dbms: pgdb, tablelist: [app.events] } }
  e.events.sql: { type: table-data, data: { dbms: pgdb, table: app.events, filter: "order_id = \${orderId} OR payload IS NULL" } }`,
    );
    const { manifest } = await build(text);
    const dir = path.join(work, 'out', 'pkg_11');
    const [myTarget, pgTarget] = await Promise.all([createScratchDatabase('mysql'), createScratchDatabase('postgres')]);
    try {
      for (const f of ['a.create.sql', 'b.customers.sql', 'c.orders.sql']) await loadWithStockClient('mysql', myTarget.name, path.join(dir, f));
      await pgTarget.exec('CREATE SCHEMA app');
      for (const f of ['d.events.create.sql', 'e.events.sql']) await loadWithStockClient('postgres', pgTarget.name, path.join(dir, f));
      const sel = 'SELECT id, customer_id, `key`, note FROM orders ORDER BY id';
      expect(await myTarget.query(sel)).to.deep.equal(await my.query('SELECT id, customer_id, `key`, note FROM orders WHERE customer_id IN (2, 3) OR note IS NULL ORDER BY id'));
      expect(await myTarget.query('SELECT * FROM customers ORDER BY id')).to.deep.equal(await my.query('SELECT * FROM customers ORDER BY id'));
      expect(await pgTarget.query('SELECT * FROM app.events ORDER BY id')).to.deep.equal(
        await pgdb.query('SELECT * FROM app.events WHERE order_id = 11 OR payload IS NULL ORDER BY id'),
      );
      expect(manifest.totals.rows).to.equal(3 + 3 + 1);
    } finally {
      await Promise.all([myTarget.drop(), pgTarget.drop()]);
    }
  });

  it('reports progress: prepare, each export in order, then done with the totals', async () => {
    const text = template(
      `  a.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.orders } }
  b.sql: { type: table-data, data: { dbms: pgdb, table: app.events } }`,
    );
    const events: BuildProgress[] = [];
    const { manifest } = await buildPackage(text, ['11'], config, (name) => new DirectorySink(path.join(work, 'out'), name), {
      onProgress: (p) => events.push(p),
    });
    expect(events.map((e) => [e.phase, e.export ?? null, e.exportsDone, e.exportsTotal])).to.deep.equal([
      ['prepare', null, 0, 2],
      ['export', 'a.sql', 0, 2],
      ['export', 'a.sql', 1, 2],
      ['export', 'b.sql', 1, 2],
      ['export', 'b.sql', 2, 2],
      ['done', null, 2, 2],
    ]);
    const done = events.at(-1)!;
    expect([done.rows, done.bytes]).to.deep.equal([manifest.totals.rows, manifest.totals.bytes]);
    expect(done.rows).to.equal(8);
  });

  it('is deterministic: the same template and data give identical files', async () => {
    const text = template(
      `  a.sql: { type: table-create, data: { dbms: pgdb, tablelist: [app.events] } }
  b.sql: { type: table-data, data: { dbms: pgdb, table: app.events } }
  c.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [${my.name}] } }
  d.ndjson: { type: table-data, data: { dbms: mydb, table: ${my.name}.orders, format: ndjson } }`,
    );
    const first = await build(text);
    const second = await build(text);
    expect(second.manifest.files).to.deep.equal(first.manifest.files);
  });

  describe('bad input gets a typed error naming the problem', () => {
    const expectError = async (text: string, code: ErrorCode, match: RegExp, args: string[] = ['11']) => {
      try {
        await build(text, args);
      } catch (err) {
        if (!isHfitError(err)) throw err;
        expect(err.code, err.message).to.equal(code);
        expect(err.message).to.match(match);
        const out = await readdir(path.join(work, 'out')).catch(() => []);
        expect(out, 'nothing is published on failure').to.deep.equal([]);
        return err;
      }
      expect.fail(`expected ${code}`);
    };
    const data = (body: string) => template(`  out.sql: ${body}`);

    it('malformed YAML', () => expectError('hfitVersion: 1\ntemplateName: [oops\n', 'TEMPLATE_YAML', /line \d+/));
    it('unknown export type', () => expectError(data('{ type: table-dump, data: {} }'), 'EXPORT_TYPE_UNKNOWN', /table-dump/));
    it('unknown source', () => expectError(data('{ type: table-data, data: { dbms: nope, table: a.b } }'), 'SOURCE_UNKNOWN', /"nope".*mydb, pgdb/));
    it('unknown database', () => expectError(data('{ type: table-data, data: { dbms: mydb, table: nodb.customers } }'), 'DATABASE_UNKNOWN', /nodb/));
    it('unknown table, naming the field and line', async () => {
      const err = await expectError(data(`{ type: table-data, data: { dbms: mydb, table: ${my.name}.nope } }`), 'TABLE_UNKNOWN', /"nope"/);
      expect([err.field, err.line]).to.deep.equal(['exports.out.sql.data.table', 10]);
    });
    it('unknown column in a filter', async () => {
      const err = await expectError(data(`{ type: table-data, data: { dbms: pgdb, table: app.events, filter: "nope = 1" } }`), 'COLUMN_UNKNOWN', /"nope"/);
      expect(err.field).to.equal('exports.out.sql.data.filter');
    });
    it('a filter that is not allowed', () =>
      expectError(data(`{ type: table-data, data: { dbms: mydb, table: ${my.name}.orders, filter: "id = 1 OR sleep(5)" } }`), 'FILTER_REJECTED', /sleep/i));
    it('missing variable', () => expectError(template('  out_${nope}.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }'), 'VARIABLE_UNKNOWN', /nope/));
    it('$N out of range', () => expectError(template('  out_$2.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }'), 'INPUT_OUT_OF_RANGE', /2/));
    it('dbquery with no row', () =>
      expectError(
        template('  a.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }', `  - setVar: c
    from: hot-data
    hdata: { type: dbquery, dbms: mydb, query: "SELECT id FROM ${my.name}.orders WHERE id = \${orderId}" }`),
        'QUERY_NO_ROW',
        /no row/,
        ['999'],
      ));
    for (const q of ['DELETE FROM DB.orders', 'SELECT 1; SELECT 2', "UPDATE DB.orders SET note = 'x'"]) {
      it(`dbquery that is not a single SELECT: ${q}`, () =>
        expectError(
          template('  a.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }', `  - setVar: c
    from: hot-data
    hdata: { type: dbquery, dbms: mydb, query: "${q.replace('DB.', `${my.name}.`)}" }`),
          'QUERY_REJECTED',
          /SELECT/,
        ));
    }
    for (const [label, p] of [['..', 'docs/../../secret.txt'], ['absolute', '/etc/passwd'], ['symlink out', 'docs/escape.txt']] as const) {
      it(`volume path escaping the root (${label})`, () =>
        expectError(data(`{ type: file, data: { volume: vol, path: "${p}" } }`), 'PATH_ESCAPE', /volume/));
    }
    it('volume glob matching nothing', () =>
      expectError(
        template('  a.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }', `  - setVar: f
    from: hot-data
    hdata: { type: volume, volume: vol, glob: "docs/nothing_*.txt" }`),
        'GLOB_NO_MATCH',
        /nothing_/,
      ));
    it('export names escaping the package', () => expectError(template('  ../evil.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }'), 'EXPORT_NAME_INVALID', /\.\./));
    it('a value with glob characters cannot widen a glob', () =>
      expectError(
        template('  a.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [x] } }', `  - setVar: f
    from: hot-data
    hdata: { type: volume, volume: vol, glob: "docs/invoice_\${orderId}_2_a.txt" }`),
        'GLOB_NO_MATCH',
        /invoice/,
        ['*'],
      ));
  });

  it('a failed build leaves the previous package intact', async () => {
    const good = template(`  a.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.customers } }`);
    await build(good);
    const before = await readFile(path.join(work, 'out', 'pkg_11', 'a.sql'));
    const bad = template(`  a.sql: { type: table-data, data: { dbms: mydb, table: ${my.name}.customers } }
  b.sql: { type: file, data: { volume: vol, path: "docs/missing.txt" } }`);
    await build(bad).then(
      () => expect.fail('should fail'),
      (e: { code: string }) => expect(e.code).to.equal('FILE_NOT_FOUND'),
    );
    expect(await readFile(path.join(work, 'out', 'pkg_11', 'a.sql'))).to.deep.equal(before);
    expect(await readdir(path.join(work, 'out'))).to.deep.equal(['pkg_11']);
  });
  describe('authorize: asked before every read', () => {
    const everything = (db: string) =>
      template(
        `  schema.sql: { type: dbcreate, data: { dbms: mydb, tablelist: [${db}] } }
  customer.data.sql: { type: table-data, data: { dbms: mydb, table: ${db}.customers, filter: "id = \${customerId}" } }
  events.create.sql: { type: table-create, data: { dbms: pgdb, tablelist: [app.events] } }
  events.data.sql: { type: table-data, data: { dbms: pgdb, table: app.events } }
  one.txt: { type: file, data: { volume: vol, path: "./docs/invoice_\${orderId}_2_a.txt" } }
  docs: { type: files, data: { volume: vol, glob: "docs/invoice_\${orderId}_*.txt" } }`,
        `  - setVar: customerId
    from: hot-data
    hdata: { type: dbquery, dbms: mydb, query: "SELECT customer_id FROM ${db}.orders WHERE id = \${orderId}" }`,
      );
    const key = (r: ReadRequest) => Object.values(r).join(' ');

    it('names the package, every table (those of prepare queries and dbcreate databases too), each database and volume file', async () => {
      const asked: ReadRequest[] = [];
      await buildPackage(everything(my.name), ['11'], config, (name) => new DirectorySink(path.join(work, 'out'), name), { authorize: (r) => void asked.push(r) });
      expect([...new Set(asked.map(key))].sort()).to.deep.equal(
        [
          `table mydb ${my.name} orders`,
          'package pkg_11',
          `database mydb ${my.name}`,
          `table mydb ${my.name} customers`,
          'table pgdb app events',
          'volume-file vol docs/invoice_11_2_a.txt',
          'volume vol',
          'volume-file vol docs/invoice_11_2_b.txt',
        ].sort(),
      );
      // The prepare query's table is asked about before anything else.
      expect(key(asked[0]!)).to.equal(`table mydb ${my.name} orders`);
    });

    it('a refusal fails the build with its location before the refused thing is read, and writes nothing', async () => {
      for (const [refused, field] of [
        ['table pgdb app events', 'exports.events.create.sql.data.tablelist'],
        [`table mydb ${my.name} orders`, 'prepare[1].hdata.query'],
        ['volume-file vol docs/invoice_11_2_b.txt', 'exports.docs.data.glob'],
        ['package pkg_11', undefined],
      ] as const) {
        const err = await buildPackage(everything(my.name), ['11'], config, (name) => new DirectorySink(path.join(work, 'out'), name), {
          authorize: (r) => {
            if (key(r) === refused) throw new HfitError('FORBIDDEN', `no grant: ${refused}`);
          },
        }).then(
          () => expect.fail(`should refuse ${refused}`),
          (e: unknown) => e,
        );
        expect(isHfitError(err, 'FORBIDDEN'), refused).to.equal(true);
        expect((err as HfitError).field, refused).to.equal(field);
        expect(await readdir(work), refused).not.to.include('out');
      }
    });

    it('refuses a prepare query whose tables cannot be determined, only when authorizing', async () => {
      const vague = everything(my.name).replace(`FROM ${my.name}.orders`, `FROM ${my.name}.orders WHERE 1 = 1 AND customer_id IN (SELECT customer_id FROM orders)`).replace('WHERE id =', 'AND id =');
      const err = await buildPackage(vague, ['11'], config, (name) => new DirectorySink(path.join(work, 'out'), name), { authorize: () => undefined }).then(
        () => expect.fail('should refuse'),
        (e: unknown) => e as HfitError,
      );
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.message).to.contain('without its database');
    });
  });
});
