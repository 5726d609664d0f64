import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TemplateListSchema, TemplateTextSchema, PatchResultSchema } from '@hfit/contracts';
import type { ObjectStore } from '@hfit/storage';
import { parseTemplate } from '@hfit/templates';
import { expect } from 'chai';
import { TemplateStore } from './template-store.js';
import { rejectedHfitError } from './testing/rejected-hfit-error.js';
import { storeTargets } from './testing/store-targets.js';
import type { StoreTarget } from './testing/store-targets.js';
import { invalidTemplateText, templateText } from './testing/template-text.js';

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

function uniqueUser(): string {
  return `u-${randomUUID()}`;
}

function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

async function wipe(store: ObjectStore): Promise<void> {
  const keys: string[] = [];
  for await (const o of store.list('')) keys.push(o.key);
  for (const key of keys) await store.delete(key);
}

async function allKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list('')) keys.push(o.key);
  return keys;
}

/** Delegates to a real store and records which writing methods were called. */
function recordingStore(inner: ObjectStore, calls: string[]): ObjectStore {
  return {
    put: (key, body, opts) => (calls.push(`put ${key}`), inner.put(key, body, opts)),
    publish: (key, body, opts) => (calls.push(`publish ${key}`), inner.publish(key, body, opts)),
    get: (key, range) => inner.get(key, range),
    head: (key) => inner.head(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => (calls.push(`delete ${key}`), inner.delete(key)),
    cleanupStaging: (ms) => inner.cleanupStaging(ms),
  };
}

for (const factory of storeTargets) {
  describe(`TemplateStore on ${factory.name}`, () => {
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
      user = uniqueUser();
    });
    afterEach(async () => {
      await wipe(target.store);
    });

    describe('create and get', () => {
      it('stores the text exactly as given under templates/<user>/<templateName>.yaml', async () => {
        const name = uniqueName('orders');
        const text = templateText(name);
        const created = await templates.create(user, text);
        expect(TemplateTextSchema.parse(created)).to.deep.equal(created);
        expect(created).to.include({ name, text, sha256: sha256(text) });
        expect(await allKeys(target.store)).to.deep.equal([`templates/${user}/${name}.yaml`]);
        const got = await templates.get(user, name);
        expect(got).to.deep.equal({ name, text, sha256: sha256(text), updatedAt: got.updatedAt });
        expect(Date.parse(got.updatedAt)).to.be.closeTo(Date.now(), 60_000);
      });

      it('stores a legacy "name:" template under its name', async () => {
        const name = uniqueName('legacy');
        const text = `hfitVersion: 1\nname: ${name}\nexports:\n  t.sql:\n    type: create-table\n    data: { dbms: a, table: db.t }\n`;
        const created = await templates.create(user, text);
        expect(created.name).to.equal(name);
        expect((await templates.get(user, name)).text).to.equal(text);
      });

      it('passes every validation problem through and stores nothing', async () => {
        const e = await rejectedHfitError(templates.create(user, invalidTemplateText(uniqueName('bad'))), 'TEMPLATE_INVALID');
        expect(e.details.map((d) => [d.field, d.line])).to.deep.equal([
          ['hfitVersion', 2],
          ['exports.rows.sql.type', 7],
        ]);
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('reports malformed YAML with its line', async () => {
        const e = await rejectedHfitError(templates.create(user, 'hfitVersion: 1\ntemplateName: [x\n'), 'TEMPLATE_YAML');
        expect(e.line).to.be.a('number');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('refuses a second template of the same name (TEMPLATE_EXISTS) and keeps the first', async () => {
        const name = uniqueName('dup');
        const first = templateText(name, 'first');
        await templates.create(user, first);
        const e = await rejectedHfitError(templates.create(user, templateText(name, 'second')), 'TEMPLATE_EXISTS');
        expect(e.message).to.contain(name);
        expect((await templates.get(user, name)).text).to.equal(first);
      });

      it('lets exactly one of two concurrent creates of one name win', async () => {
        const name = uniqueName('race');
        const results = await Promise.allSettled([
          templates.create(user, templateText(name, 'one')),
          templates.create(user, templateText(name, 'two')),
        ]);
        expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
        const rejected = results.find((r) => r.status === 'rejected');
        expect((rejected?.reason as { code?: string }).code).to.equal('TEMPLATE_EXISTS');
      });

      it('keeps users apart: the same name for two users is two templates', async () => {
        const other = uniqueUser();
        const name = uniqueName('shared');
        await templates.create(user, templateText(name, 'mine'));
        await templates.create(other, templateText(name, 'theirs'));
        expect((await templates.get(user, name)).text).to.contain('projectName: mine');
        expect((await templates.get(other, name)).text).to.contain('projectName: theirs');
        expect((await templates.list(other)).map((t) => t.name)).to.deep.equal([name]);
      });

      it('answers TEMPLATE_NOT_FOUND for a name that is not stored', async () => {
        const e = await rejectedHfitError(templates.get(user, 'missing'), 'TEMPLATE_NOT_FOUND');
        expect(e.message).to.contain('"missing"');
      });

      for (const name of ['../escape', 'a/b', '.hidden', '', 'x'.repeat(129), 'bad\u0000name']) {
        it(`refuses the template name ${JSON.stringify(name).slice(0, 30)} before any I/O`, async () => {
          const e = await rejectedHfitError(templates.get(user, name), 'REQUEST_INVALID');
          expect(e.field).to.equal('name');
        });
      }

      for (const bad of ['..', '.', 'a/b', '', 'x'.repeat(65), 'sp ace']) {
        it(`refuses the user name ${JSON.stringify(bad).slice(0, 30)} on every operation`, async () => {
          const text = templateText(uniqueName('x'));
          for (const op of [
            templates.list(bad),
            templates.get(bad, 'x'),
            templates.create(bad, text),
            templates.update(bad, 'x', text),
            templates.patch(bad, 'x', {}),
            templates.delete(bad, 'x'),
          ]) {
            expect((await rejectedHfitError(op, 'REQUEST_INVALID')).field).to.equal('user');
          }
          expect(await allKeys(target.store)).to.deep.equal([]);
        });
      }
    });

    describe('list', () => {
      it('lists name, size, date and sha256, sorted by name (code point order)', async () => {
        const names = [uniqueName('b'), uniqueName('a'), uniqueName('C')];
        for (const name of names) await templates.create(user, templateText(name));
        const list = await templates.list(user);
        expect(TemplateListSchema.parse({ items: list }).items).to.deep.equal(list);
        expect(list.map((t) => t.name)).to.deep.equal([...names].sort());
        for (const item of list) {
          const text = templateText(item.name);
          expect(item).to.include({ size: Buffer.byteLength(text), sha256: sha256(text) });
          expect(Number.isNaN(Date.parse(item.updatedAt))).to.equal(false);
        }
      });

      it('is empty for a user without templates', async () => {
        expect(await templates.list(user)).to.deep.equal([]);
      });

      it('ignores objects that are not templates of this user and hashes ones without metadata', async () => {
        const name = uniqueName('bare');
        const text = templateText(name);
        // Written by hand, without the sha256 metadata the store records.
        await target.store.put(`templates/${user}/${name}.yaml`, Buffer.from(text));
        await target.store.put(`templates/${user}/notes.txt`, Buffer.from('not a template'));
        await target.store.put(`templates/${user}/sub/deeper.yaml`, Buffer.from(text));
        await target.store.put(`templates/${user}/-bad-name.yaml`, Buffer.from(text));
        await target.store.put(`templates/${user}x/${name}.yaml`, Buffer.from(text));
        const list = await templates.list(user);
        expect(list.map((t) => ({ name: t.name, sha256: t.sha256, size: t.size }))).to.deep.equal([
          { name, sha256: sha256(text), size: Buffer.byteLength(text) },
        ]);
      });

      it('reads what another instance wrote: the object store is the only state', async () => {
        const name = uniqueName('durable');
        await templates.create(user, templateText(name));
        const fresh = new TemplateStore({ store: target.store });
        expect((await fresh.list(user)).map((t) => t.name)).to.deep.equal([name]);
        expect((await fresh.get(user, name)).text).to.equal(templateText(name));
      });
    });

    describe('update', () => {
      it('replaces the text of an existing template', async () => {
        const name = uniqueName('upd');
        await templates.create(user, templateText(name, 'before'));
        const next = templateText(name, 'after');
        const updated = await templates.update(user, name, next);
        expect(updated).to.include({ name, text: next, sha256: sha256(next) });
        expect((await templates.get(user, name)).text).to.equal(next);
      });

      it('answers TEMPLATE_NOT_FOUND for a template that is not stored, and stores nothing', async () => {
        const name = uniqueName('absent');
        await rejectedHfitError(templates.update(user, name, templateText(name)), 'TEMPLATE_NOT_FOUND');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('refuses a text naming another template (TEMPLATE_NAME_MISMATCH) and keeps the old text', async () => {
        const name = uniqueName('keep');
        const original = templateText(name);
        await templates.create(user, original);
        const other = uniqueName('other');
        const e = await rejectedHfitError(templates.update(user, name, templateText(other)), 'TEMPLATE_NAME_MISMATCH');
        expect(e.message).to.contain(`"${other}"`).and.to.contain(`"${name}"`);
        expect((await templates.get(user, name)).text).to.equal(original);
        expect((await templates.list(user)).map((t) => t.name)).to.deep.equal([name]);
      });

      it('passes validation errors through and keeps the old text', async () => {
        const name = uniqueName('inval');
        const original = templateText(name);
        await templates.create(user, original);
        const e = await rejectedHfitError(templates.update(user, name, invalidTemplateText(name)), 'TEMPLATE_INVALID');
        expect(e.details).to.have.length(2);
        expect((await templates.get(user, name)).text).to.equal(original);
      });
    });

    describe('patch', () => {
      it('changes, adds and removes top-level keys, keeps comments and order, and reports a diff', async () => {
        const name = uniqueName('patch');
        await templates.create(user, templateText(name, 'old'));
        const result = await templates.patch(user, name, { projectName: 'new', packageName: 'pkg_$1' });
        expect(PatchResultSchema.parse(result)).to.deep.equal(result);
        expect(result.diff).to.deep.equal([
          { key: 'projectName', op: 'changed', before: 'old', after: 'new' },
          { key: 'packageName', op: 'added', after: 'pkg_$1' },
        ]);
        // Only the spacing before an inline comment is normalised by the yaml library.
        expect(result.text).to.equal(
          [
            '# Sample template, kept verbatim',
            'hfitVersion: 1',
            `templateName: ${name} # stored under this name`,
            'projectName: new',
            '',
            '# what the package holds',
            'exports:',
            '  rows.sql:',
            '    type: table-data',
            '    data: { dbms: src1, table: shop.orders, filter: "WHERE id > 3" }',
            'packageName: pkg_$1',
            '',
          ].join('\n'),
        );
        expect(result.sha256).to.equal(sha256(result.text));
        expect((await templates.get(user, name)).text).to.equal(result.text);
        expect(parseTemplate(result.text).packageName).to.equal('pkg_$1');

        const removed = await templates.patch(user, name, { packageName: null, projectName: null });
        expect(removed.diff).to.deep.equal([
          { key: 'packageName', op: 'removed', before: 'pkg_$1' },
          { key: 'projectName', op: 'removed', before: 'new' },
        ]);
        expect(removed.text).to.equal(
          templateText(name).replace('projectName: demo\n', '').replace('   # stored under this name', ' # stored under this name'),
        );
      });

      it('replaces a whole map value (no deep merge) and validates the result', async () => {
        const name = uniqueName('exports');
        await templates.create(user, templateText(name));
        const exports = { 'ddl.sql': { type: 'table-create', data: { dbms: 'src1', tablelist: ['shop.orders'] } } };
        const result = await templates.patch(user, name, { exports });
        expect(result.diff).to.have.length(1);
        expect(result.diff[0]).to.deep.include({ key: 'exports', op: 'changed', after: exports });
        expect(parseTemplate(result.text).exports.map((e) => e.key)).to.deep.equal(['ddl.sql']);
        expect(result.text.startsWith('# Sample template, kept verbatim\nhfitVersion: 1\n')).to.equal(true);
      });

      it('writes nothing for a patch that changes nothing', async () => {
        const name = uniqueName('noop');
        const created = await templates.create(user, templateText(name, 'same'));
        const calls: string[] = [];
        const recorded = new TemplateStore({ store: recordingStore(target.store, calls) });
        const result = await recorded.patch(user, name, { projectName: 'same', missing: null, templateName: name });
        expect(result).to.deep.equal({ ...created, updatedAt: result.updatedAt, diff: [] });
        expect(calls).to.deep.equal([]);
      });

      it('refuses renaming through templateName (TEMPLATE_NAME_MISMATCH) and keeps the text', async () => {
        const name = uniqueName('ren');
        const original = templateText(name);
        await templates.create(user, original);
        await rejectedHfitError(templates.patch(user, name, { templateName: uniqueName('new') }), 'TEMPLATE_NAME_MISMATCH');
        await rejectedHfitError(templates.patch(user, name, { templateName: 42 }), 'TEMPLATE_NAME_MISMATCH');
        expect((await templates.get(user, name)).text).to.equal(original);
      });

      it('passes the validation errors of the patched text through and keeps the old text', async () => {
        const name = uniqueName('breaks');
        const original = templateText(name);
        await templates.create(user, original);
        const e = await rejectedHfitError(templates.patch(user, name, { exports: {}, hfitVersion: 3 }), 'TEMPLATE_INVALID');
        expect(e.details.map((d) => d.field).sort()).to.deep.equal(['exports', 'hfitVersion']);
        await rejectedHfitError(templates.patch(user, name, { templateName: null }), 'TEMPLATE_INVALID');
        expect((await templates.get(user, name)).text).to.equal(original);
      });

      it('refuses a patch that is not a map of JSON values (REQUEST_INVALID)', async () => {
        const name = uniqueName('nonjson');
        await templates.create(user, templateText(name));
        const e = await rejectedHfitError(templates.patch(user, name, { projectName: () => 1 }), 'REQUEST_INVALID');
        expect(e.details[0]?.field).to.equal('projectName');
        await rejectedHfitError(templates.patch(user, name, ['x'] as unknown as Record<string, unknown>), 'REQUEST_INVALID');
      });

      it('answers TEMPLATE_NOT_FOUND for a template that is not stored', async () => {
        await rejectedHfitError(templates.patch(user, uniqueName('absent'), { projectName: 'x' }), 'TEMPLATE_NOT_FOUND');
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('serialises concurrent patches of one template so neither change is lost', async () => {
        const name = uniqueName('concurrent');
        await templates.create(user, templateText(name));
        await Promise.all([
          templates.patch(user, name, { projectName: 'p1' }),
          templates.patch(user, name, { packageName: 'pkg' }),
        ]);
        const model = parseTemplate((await templates.get(user, name)).text);
        expect([model.projectName, model.packageName]).to.deep.equal(['p1', 'pkg']);
      });
    });

    describe('delete', () => {
      it('removes the template', async () => {
        const name = uniqueName('del');
        await templates.create(user, templateText(name));
        await templates.delete(user, name);
        await rejectedHfitError(templates.get(user, name), 'TEMPLATE_NOT_FOUND');
        expect(await templates.list(user)).to.deep.equal([]);
        expect(await allKeys(target.store)).to.deep.equal([]);
      });

      it('answers TEMPLATE_NOT_FOUND for a template that is not stored', async () => {
        await rejectedHfitError(templates.delete(user, uniqueName('absent')), 'TEMPLATE_NOT_FOUND');
      });
    });

    describe('writes', () => {
      it('go through publish (atomic) and never through put', async () => {
        const calls: string[] = [];
        const recorded = new TemplateStore({ store: recordingStore(target.store, calls) });
        const name = uniqueName('atomic');
        const key = `templates/${user}/${name}.yaml`;
        await recorded.create(user, templateText(name));
        await recorded.update(user, name, templateText(name, 'v2'));
        await recorded.patch(user, name, { projectName: 'v3' });
        await recorded.delete(user, name);
        expect(calls).to.deep.equal([`publish ${key}`, `publish ${key}`, `publish ${key}`, `delete ${key}`]);
      });

      it('store the sha256 as metadata and the YAML media type', async () => {
        const name = uniqueName('meta');
        const text = templateText(name);
        await templates.create(user, text);
        const head = await target.store.head(`templates/${user}/${name}.yaml`);
        expect(head?.metadata['sha256']).to.equal(sha256(text));
        expect(head?.contentType).to.equal('application/yaml; charset=utf-8');
      });

      it('use the configured prefix', async () => {
        const prefixed = new TemplateStore({ store: target.store, prefix: 'hfit/tpl/' });
        const name = uniqueName('pref');
        await prefixed.create(user, templateText(name));
        expect(await allKeys(target.store)).to.deep.equal([`hfit/tpl/${user}/${name}.yaml`]);
        expect(await templates.list(user)).to.deep.equal([]);
        const read = await target.store.get(`hfit/tpl/${user}/${name}.yaml`);
        const chunks: Buffer[] = [];
        for await (const c of read.body as Readable) chunks.push(c as Buffer);
        expect(Buffer.concat(chunks).toString()).to.equal(templateText(name));
      });
    });
  });
}

describe('TemplateStore options', () => {
  for (const prefix of ['../up', '/abs', 'a//b', '.hfit-x']) {
    it(`refuses the prefix ${JSON.stringify(prefix)} (STORAGE_OPTIONS_INVALID)`, async () => {
      const target = await storeTargets[0]!.create();
      try {
        expect(() => new TemplateStore({ store: target.store, prefix })).to.throw().with.property('code', 'STORAGE_OPTIONS_INVALID');
      } finally {
        await target.dispose();
      }
    });
  }
});
