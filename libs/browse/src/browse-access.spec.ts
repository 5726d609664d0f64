import { Access, policyOf } from '@hfit/access';
import { GrantSchema, isHfitError, type FileEntry, type GrantInput } from '@hfit/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@hfit/db/testing';
import { expect } from 'chai';
import { bestFile } from './files/best-file.js';
import { fileExists } from './files/file-exists.js';
import { listVolumeFiles } from './files/list-volume-files.js';
import { listVolumes } from './files/list-volumes.js';
import { openVolumeDownload } from './files/open-volume-download.js';
import { volumeExists } from './files/volume-exists.js';
import { previewRows } from './rows/preview-rows.js';
import { databaseExists } from './sources/database-exists.js';
import { listDatabases } from './sources/list-databases.js';
import { listSources } from './sources/list-sources.js';
import { listTables } from './sources/list-tables.js';
import { tableExists } from './sources/table-exists.js';
import { SessionRecorder } from './testing/session-recorder.js';
import { createVolumeFixture, type VolumeFixture } from './testing/volume-fixture.js';

function access(grant: GrantInput, user = 'bob'): Access {
  return new Access(policyOf(user, [], [GrantSchema.parse(grant)], {}));
}

async function forbidden(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (isHfitError(err, 'FORBIDDEN')) return err.message;
    throw err;
  }
  throw new Error('expected FORBIDDEN');
}

async function paths(entries: AsyncIterable<FileEntry>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of entries) out.push(e.isdir ? `${e.path}/` : e.path);
  return out.sort();
}

describe('browse within a user\'s grants', () => {
  describe('volumes', () => {
    let fx: VolumeFixture;
    const config = () => ({ volumes: [fx.volume(), fx.volume('confine', 'other')] });
    beforeEach(() => {
      fx = createVolumeFixture();
    });
    afterEach(() => fx.remove());

    it('lists only the volumes a pattern names; existence checks are refused for the others', async () => {
      expect(listVolumes(config(), access({ actions: ['browse'], volumes: ['data:sub/**'] }))).to.deep.equal([{ name: 'data' }]);
      expect(listVolumes(config(), access({ actions: ['browse'], volumes: ['*'] }))).to.have.length(2);
      expect(await forbidden(() => listVolumes(config(), access({ volumes: ['**'] })))).to.contain('"browse" action');
      expect(volumeExists(config(), 'data', access({ actions: ['browse'], volumes: ['data:x'] }))).to.equal(true);
      expect(await forbidden(() => volumeExists(config(), 'nope', access({ actions: ['browse'], volumes: ['data:x'] })))).to.contain('volume nope');
    });

    it('lists only granted files, and folders that are or may hold granted files', async () => {
      const a = access({ actions: ['browse'], volumes: ['data:sub/deep/*.log', 'data:a.txt'] });
      expect(await paths(await listVolumeFiles(config(), 'data', [], { access: a }))).to.deep.equal(['a.txt', 'sub/', 'sub/deep/', 'sub/deep/c.log']);
      expect(await paths(await listVolumeFiles(config(), 'data', ['name:*'], { access: a }))).to.deep.equal(['a.txt', 'sub/deep/c.log']);
      expect(await paths(await listVolumeFiles(config(), 'data', ['path:sub'], { access: a }))).to.deep.equal(['sub/deep/', 'sub/deep/c.log']);
      expect(await forbidden(listVolumeFiles(config(), 'data', ['path:%2e%2e'], { access: a }))).to.contain('data:%2e%2e');
      expect(await forbidden(listVolumeFiles(config(), 'other', [], { access: a }))).to.contain('volume other');
      // Traversal stays a confinement error, not an access one.
      expect(await listVolumeFiles(config(), 'data', ['path:../outside'], { access: a }).then(() => 'ok', (e: { code: string }) => e.code)).to.equal('PATH_ESCAPE');
    });

    it('a symlink is listed only when the link and its target are both granted; a symlinked folder leading to an ungranted one is refused', async () => {
      const linkOnly = access({ actions: ['browse', 'files'], volumes: ['data:link-*', 'data:link-dir/**'] });
      expect(await paths(await listVolumeFiles(config(), 'data', ['name:*'], { access: linkOnly }))).to.deep.equal([]);
      const both = access({ actions: ['browse', 'files'], volumes: ['data:link-*', 'data:sub/b.txt', 'data:a.txt'] });
      expect(await paths(await listVolumeFiles(config(), 'data', ['name:*'], { access: both }))).to.deep.equal(['a.txt', 'link-abs-in', 'link-in.txt', 'sub/b.txt']);
      expect(await forbidden(listVolumeFiles(config(), 'data', ['path:link-dir'], { access: linkOnly }))).to.contain('data:sub');
    });

    it('downloads only a granted path whose real file is granted too, refusing before anything is opened', async () => {
      const a = access({ actions: ['files'], volumes: ['data:link-in.txt', 'data:a.txt', 'data:fifo'] });
      const ok = await openVolumeDownload(config(), 'data', './a.txt', { access: a });
      expect(ok.path).to.equal('a.txt');
      await ok.close();
      // The link is granted, its target (sub/b.txt) is not.
      expect(await forbidden(openVolumeDownload(config(), 'data', 'link-in.txt', { access: a }))).to.contain('data:sub/b.txt');
      expect(await forbidden(openVolumeDownload(config(), 'data', 'sub/b.txt', { access: a }))).to.contain('data:sub/b.txt');
      expect(await forbidden(openVolumeDownload(config(), 'data', 'a.txt', { access: access({ volumes: ['**'] }) }))).to.contain('"files" action');
      expect(await forbidden(fileExists(config(), 'other', 'a.txt', { access: a }))).to.contain('volume other');
      expect(await fileExists(config(), 'data', 'a.txt', { access: a })).to.equal(true);
    });

    it('best file: among granted files only', async () => {
      const a = access({ actions: ['files'], volumes: ['data:sub/**', 'data:big.bin'] });
      expect((await bestFile(config(), 'data', [], { access: a, now: new Date(fx.now) })).path).to.equal('sub/deep/c.log');
      expect((await bestFile(config(), 'data', ['sort:mtime:desc', 'name:*.txt'], { access: a })).path).to.equal('sub/b.txt');
      expect(await forbidden(bestFile(config(), 'data', [], { access: access({ actions: ['browse'], volumes: ['**'] }) }))).to.contain('"files" action');
    });
  });

  for (const type of ['mysql', 'postgres'] as const) {
    describe(`sources (${type})`, function () {
      this.timeout(60_000);
      let scratch: ScratchDatabase;
      let db: string;
      const config = () => ({ sources: [{ ...scratch.source, name: 'src' }, { ...scratch.source, name: 'other' }] });

      beforeEach(async () => {
        scratch = await createScratchDatabase(type);
        if (type === 'mysql') {
          await scratch.exec('CREATE TABLE items (id INT PRIMARY KEY); CREATE TABLE secrets (id INT PRIMARY KEY)');
          db = scratch.name;
        } else {
          await scratch.exec('CREATE SCHEMA app; CREATE TABLE app.items (id int PRIMARY KEY); CREATE TABLE app.secrets (id int PRIMARY KEY)');
          db = 'app';
        }
      });
      afterEach(async () => scratch.drop());

      it('lists sources, databases and tables the grant could cover; refuses the rest before opening a session', async () => {
        const a = access({ actions: ['browse', 'rows'], tables: [`src/${db}/items`] });
        const recorder = new SessionRecorder();
        const opts = { access: a, openSession: recorder.openSession };
        expect(listSources(config(), a).map((s) => s.name)).to.deep.equal(['src']);
        expect(await listDatabases(config(), 'src', opts)).to.deep.equal([db]);
        expect((await listTables(config(), 'src', db, opts)).map((t) => t.name)).to.deep.equal(['items']);
        expect(await databaseExists(config(), 'src', db, opts)).to.equal(true);
        expect(await tableExists(config(), 'src', db, 'items', opts)).to.equal(true);
        const opened = recorder.sessions.length;
        expect(await forbidden(listDatabases(config(), 'other', opts))).to.contain('source other');
        expect(await forbidden(listTables(config(), 'src', 'elsewhere', opts))).to.contain('src/elsewhere');
        expect(await forbidden(tableExists(config(), 'src', db, 'secrets', opts))).to.contain(`src/${db}/secrets`);
        expect(await forbidden(databaseExists(config(), 'other', db, opts))).to.contain(`other/${db}`);
        expect(await forbidden(listTables(config(), 'src', db, { ...opts, access: access({ tables: ['**'] }) }))).to.contain('"browse" action');
        expect(recorder.sessions, 'no session opened for a refusal').to.have.length(opened);
      });

      it('reads rows only with the rows action and the table granted, refusing before any session', async () => {
        const recorder = new SessionRecorder();
        const a = access({ actions: ['rows'], tables: [`src/${db}/items`] });
        const preview = await previewRows(config(), { source: 'src', database: db, table: 'items' }, { access: a, openSession: recorder.openSession });
        await preview.close();
        expect(recorder.sessions).to.have.length(1);
        expect(await forbidden(previewRows(config(), { source: 'src', database: db, table: 'secrets', filter: 'id = 1' }, { access: a, openSession: recorder.openSession }))).to.contain(`src/${db}/secrets`);
        expect(await forbidden(previewRows(config(), { source: 'src', database: db, table: 'items' }, { access: access({ actions: ['browse'], tables: ['**'] }), openSession: recorder.openSession }))).to.contain('"rows" action');
        expect(recorder.sessions).to.have.length(1);
        expect(recorder.statements.map((s) => s.sql).join('\n')).not.to.contain('secrets');
      });
    });
  }
});
