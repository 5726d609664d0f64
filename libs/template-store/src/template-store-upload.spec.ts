import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { UploadReportSchema } from '@hfit/contracts';
import type { ObjectStore } from '@hfit/storage';
import { expect } from 'chai';
import { MAX_TEMPLATE_FILE_BYTES } from './read-template-archive.js';
import { TemplateStore } from './template-store.js';
import { rejectedHfitError } from './testing/rejected-hfit-error.js';
import { storeTargets } from './testing/store-targets.js';
import type { StoreTarget } from './testing/store-targets.js';
import { buildTar, buildTarGz, gzip, gzipBombTarGz } from './testing/tar-gz.js';
import { invalidTemplateText, templateText } from './testing/template-text.js';

const MIB = 1024 * 1024;

function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

async function allKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list('')) keys.push(o.key);
  return keys.sort();
}

let bombCache: Promise<Buffer> | undefined;

/** A `.tar.gz` holding `bomb.yaml` of 1 GiB of zeros (about 1 MiB compressed), made once per run. */
function oneGibBomb(): Promise<Buffer> {
  bombCache ??= gzipBombTarGz('bomb.yaml', 1024 * MIB);
  return bombCache;
}

/** `buffer` as a stream of `size`-byte chunks, like a request body arriving over the network. */
function chunked(buffer: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return Readable.from(chunks);
}

for (const factory of storeTargets) {
  describe(`TemplateStore.upload on ${factory.name}`, () => {
    let target: StoreTarget;
    let templates: TemplateStore;
    let user: string;

    before(async () => {
      target = await factory.create();
    });
    after(async () => {
      await target.dispose();
    });
    beforeEach(() => {
      templates = new TemplateStore({ store: target.store });
      user = `u-${randomUUID()}`;
    });
    afterEach(async () => {
      for (const key of await allKeys(target.store)) await target.store.delete(key);
    });

    describe('per-file report', () => {
      it('stores good templates and reports every other entry without stopping', async () => {
        const a = uniqueName('a');
        const b = uniqueName('b');
        const evil = uniqueName('evil');
        const archive = await buildTarGz([
          { name: 'templates/', type: 'directory' },
          { name: 'templates/a.yaml', content: templateText(a) },
          { name: 'README.md', content: '# not a template' },
          { name: 'templates/broken.yaml', content: invalidTemplateText(uniqueName('broken')) },
          { name: 'nested/dir/b.YML', content: templateText(b) },
          { name: '../escape.yaml', content: templateText(evil) },
          { name: '/etc/abs.yaml', content: templateText(evil) },
          { name: 'templates/..\\..\\win.yaml', content: templateText(evil) },
          { name: 'link.yaml', type: 'symlink', linkname: '/etc/passwd' },
          { name: 'hard.yaml', type: 'link', linkname: 'templates/a.yaml' },
          { name: 'fifo.yaml', type: 'fifo' },
          { name: 'again.yaml', content: templateText(a, 'second definition') },
          { name: '._a.yaml', content: '\u0000\u0005\u0016\u0007 AppleDouble' },
          { name: 'latin1.yaml', content: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]) },
        ]);
        const report = await templates.upload(user, archive);
        expect(UploadReportSchema.parse(report)).to.deep.equal(report);
        const brief = report.files.map((f) => [f.file, f.status, f.error?.code ?? f.name ?? f.reason]);
        expect(brief).to.deep.equal([
          ['templates/', 'skipped', 'a directory'],
          ['templates/a.yaml', 'created', a],
          ['README.md', 'skipped', 'not a .yaml or .yml file'],
          ['templates/broken.yaml', 'error', 'TEMPLATE_INVALID'],
          ['nested/dir/b.YML', 'created', b],
          ['../escape.yaml', 'error', 'UPLOAD_INVALID'],
          ['/etc/abs.yaml', 'error', 'UPLOAD_INVALID'],
          ['templates/..\\..\\win.yaml', 'error', 'UPLOAD_INVALID'],
          ['link.yaml', 'error', 'UPLOAD_INVALID'],
          ['hard.yaml', 'error', 'UPLOAD_INVALID'],
          ['fifo.yaml', 'error', 'UPLOAD_INVALID'],
          ['again.yaml', 'error', 'TEMPLATE_EXISTS'],
          ['._a.yaml', 'skipped', 'macOS metadata file (AppleDouble "._" file)'],
          ['latin1.yaml', 'error', 'TEMPLATE_YAML'],
        ]);
        expect(report.counts).to.deep.equal({ created: 2, updated: 0, unchanged: 0, skipped: 3, error: 9 });

        const byFile = new Map(report.files.map((f) => [f.file, f]));
        expect(byFile.get('templates/broken.yaml')?.error?.details?.map((d) => [d.field, d.line])).to.deep.equal([
          ['hfitVersion', 2],
          ['exports.rows.sql.type', 7],
        ]);
        expect(byFile.get('../escape.yaml')?.error?.message).to.contain('".."');
        expect(byFile.get('/etc/abs.yaml')?.error?.message).to.contain('absolute');
        expect(byFile.get('link.yaml')?.error?.message).to.contain('symbolic link to "/etc/passwd"');
        expect(byFile.get('hard.yaml')?.error?.message).to.contain('hard link');
        expect(byFile.get('fifo.yaml')?.error?.message).to.contain('not a regular file');
        expect(byFile.get('again.yaml')?.error?.message).to.contain('"templates/a.yaml"');
        expect(byFile.get('again.yaml')?.name).to.equal(a);

        // Only the two good templates exist, each under the user's folder; the first "a" won.
        expect(await allKeys(target.store)).to.deep.equal([`templates/${user}/${a}.yaml`, `templates/${user}/${b}.yaml`].sort());
        expect((await templates.get(user, a)).text).to.equal(templateText(a));
      });

      it('reports unchanged, refuses different texts without overwrite, and updates with it', async () => {
        const name = uniqueName('ow');
        const first = await buildTarGz([{ name: 'x.yaml', content: templateText(name, 'v1') }]);
        expect((await templates.upload(user, first)).files).to.deep.equal([{ file: 'x.yaml', name, status: 'created' }]);
        expect((await templates.upload(user, first)).files).to.deep.equal([{ file: 'x.yaml', name, status: 'unchanged' }]);
        expect((await templates.upload(user, first, { overwrite: true })).files[0]?.status).to.equal('unchanged');

        const second = await buildTarGz([{ name: 'x.yaml', content: templateText(name, 'v2') }]);
        const refused = await templates.upload(user, second);
        expect(refused.files[0]).to.deep.include({ status: 'error', name });
        expect(refused.files[0]?.error?.code).to.equal('TEMPLATE_EXISTS');
        expect(refused.files[0]?.error?.message).to.contain('overwrite');
        expect((await templates.get(user, name)).text).to.equal(templateText(name, 'v1'));

        const replaced = await templates.upload(user, second, { overwrite: true });
        expect(replaced.files).to.deep.equal([{ file: 'x.yaml', name, status: 'updated' }]);
        expect(replaced.counts).to.deep.equal({ created: 0, updated: 1, unchanged: 0, skipped: 0, error: 0 });
        expect((await templates.get(user, name)).text).to.equal(templateText(name, 'v2'));
      });

      it('reads a stream that arrives in small chunks', async () => {
        const names = [uniqueName('s1'), uniqueName('s2')];
        const archive = await buildTarGz(names.map((n) => ({ name: `${n}.yaml`, content: templateText(n) })));
        const report = await templates.upload(user, chunked(archive, 97));
        expect(report.files.map((f) => f.status)).to.deep.equal(['created', 'created']);
        expect((await templates.list(user)).map((t) => t.name)).to.deep.equal([...names].sort());
      });

      it('reports a template file over the size limit without reading it, and stores the others', async () => {
        const name = uniqueName('small');
        const big = Buffer.alloc(MAX_TEMPLATE_FILE_BYTES + 1, 0x20);
        const archive = await buildTarGz([
          { name: 'big.yaml', content: big },
          { name: 'small.yaml', content: templateText(name) },
        ]);
        const report = await templates.upload(user, archive, { maxBytes: 8 * MIB });
        expect(report.files.map((f) => [f.file, f.status, f.error?.code])).to.deep.equal([
          ['big.yaml', 'error', 'TEMPLATE_INVALID'],
          ['small.yaml', 'created', undefined],
        ]);
      });

      it('accepts an empty archive with an empty report', async () => {
        const report = await templates.upload(user, await buildTarGz([]));
        expect(report).to.deep.equal({ files: [], counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, error: 0 } });
      });
    });

    describe('corrupt archives (UPLOAD_INVALID, nothing stored)', () => {
      async function twoTemplates(): Promise<{ tar: Buffer; names: string[] }> {
        const names = [uniqueName('t1'), uniqueName('t2')];
        // Padding makes the second entry span several tar blocks, so cuts land inside it.
        const tar = await buildTar(names.map((n) => ({ name: `${n}.yaml`, content: `${templateText(n)}# ${'x'.repeat(4000)}\n` })));
        return { tar, names };
      }

      it('refuses an archive that is not gzip', async () => {
        const { tar } = await twoTemplates();
        const e = await rejectedHfitError(templates.upload(user, tar), 'UPLOAD_INVALID');
        expect(e.message).to.contain('not gzip-compressed');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('refuses a truncated gzip stream, even though its first template was complete', async () => {
        const { tar } = await twoTemplates();
        const gz = await gzip(tar);
        const e = await rejectedHfitError(templates.upload(user, gz.subarray(0, gz.length - 40)), 'UPLOAD_INVALID');
        expect(e.message).to.contain('truncated');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('refuses a complete gzip of a truncated tar', async () => {
        const { tar } = await twoTemplates();
        const e = await rejectedHfitError(templates.upload(user, await gzip(tar.subarray(0, tar.length - 3000))), 'UPLOAD_INVALID');
        expect(e.message).to.contain('tar data ends inside an entry');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('refuses gzip of something that is not tar', async () => {
        const short = await rejectedHfitError(templates.upload(user, await gzip(Buffer.from('hello'))), 'UPLOAD_INVALID');
        expect(short.message).to.contain('not a tar archive');
        const long = await rejectedHfitError(templates.upload(user, await gzip(Buffer.alloc(2048, 'y'))), 'UPLOAD_INVALID');
        expect(long.message).to.contain('not a valid tar archive');
      });

      it('refuses empty input', async () => {
        await rejectedHfitError(templates.upload(user, Buffer.alloc(0)), 'UPLOAD_INVALID');
      });
    });

    describe('limits (PAYLOAD_TOO_LARGE)', () => {
      it('stops a gzip bomb at the default limit while streaming', async () => {
        const bomb = await oneGibBomb();
        expect(bomb.length).to.be.below(2 * MIB);
        let consumed = 0;
        const body = Readable.from(
          (function* () {
            for (let i = 0; i < bomb.length; i += 4096) {
              const chunk = bomb.subarray(i, i + 4096);
              consumed += chunk.length;
              yield chunk;
            }
          })(),
        );
        const e = await rejectedHfitError(templates.upload(user, body), 'PAYLOAD_TOO_LARGE');
        expect(e.message).to.contain('uncompressed archive is larger than the limit of 33554432 bytes');
        // 32 MiB of zeros inflate from about 1/32 of the bomb (plus what the stream buffers hold):
        // reading stopped long before the end.
        expect(consumed).to.be.below(bomb.length / 2);
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('counts skipped entries too', async () => {
        const bomb = await gzipBombTarGz('zeros.bin', 64 * MIB);
        const e = await rejectedHfitError(templates.upload(user, bomb, { maxBytes: 4 * MIB }), 'PAYLOAD_TOO_LARGE');
        expect(e.message).to.contain('4194304');
      });

      it('limits the compressed size', async () => {
        const archive = await buildTarGz([{ name: 'x.yaml', content: templateText(uniqueName('c')) }]);
        const e = await rejectedHfitError(templates.upload(user, archive, { maxBytes: archive.length - 1 }), 'PAYLOAD_TOO_LARGE');
        expect(e.message).to.contain('compressed archive');
      });

      it('limits the number of entries, and stores nothing', async () => {
        const entries = Array.from({ length: 4 }, (_, i) => {
          const n = uniqueName(`e${i}`);
          return { name: `${n}.yaml`, content: templateText(n) };
        });
        const e = await rejectedHfitError(templates.upload(user, await buildTarGz(entries), { maxEntries: 3 }), 'PAYLOAD_TOO_LARGE');
        expect(e.message).to.contain('more than 3 entries');
        expect(await allKeys(target.store)).to.deep.equal([]);
        expect((await templates.upload(user, await buildTarGz(entries), { maxEntries: 4 })).counts.created).to.equal(4);
      });

      for (const [option, value] of [
        ['maxBytes', 0],
        ['maxEntries', -1],
        ['maxBytes', 1.5],
      ] as const) {
        it(`refuses ${option}: ${value} before reading`, async () => {
          const archive = await buildTarGz([{ name: 'x.yaml', content: templateText(uniqueName('o')) }]);
          const e = await rejectedHfitError(templates.upload(user, archive, { [option]: value }), 'REQUEST_INVALID');
          expect(e.field).to.equal(option);
        });
      }
    });
  });
}
