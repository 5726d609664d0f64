import type { Problem } from '@hfit/contracts';
import { expect } from 'chai';
import { startPlatformApp, type PlatformApp } from '../testing/platform-app.js';
import type { JsonObject } from './openapi-document.js';

/** Every operation the browse and template modules add: `method path` as the OpenAPI document names them. */
const OPERATIONS: Record<string, string> = {
  listSources: 'get /v1/sources',
  sourceExists: 'head /v1/sources/{source}',
  listDatabases: 'get /v1/sources/{source}/databases',
  databaseExists: 'head /v1/sources/{source}/databases/{database}',
  listTables: 'get /v1/sources/{source}/databases/{database}/tables',
  tableExists: 'head /v1/sources/{source}/databases/{database}/tables/{table}',
  previewRows: 'get /v1/sources/{source}/databases/{database}/tables/{table}/rows',
  listVolumes: 'get /v1/volumes',
  volumeExists: 'head /v1/volumes/{volume}',
  listVolumeFiles: 'get /v1/volumes/{volume}/files',
  downloadVolumeFile: 'get /v1/volumes/{volume}/file',
  downloadBestFile: 'get /v1/volumes/{volume}/best',
  listTemplates: 'get /v1/templates',
  getTemplate: 'get /v1/templates/{name}',
  createTemplate: 'post /v1/templates',
  updateTemplate: 'put /v1/templates/{name}',
  patchTemplate: 'patch /v1/templates/{name}',
  deleteTemplate: 'delete /v1/templates/{name}',
  uploadTemplates: 'post /v1/templates/upload',
};

type Doc = { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };

describe('browse and template routes: authentication and OpenAPI', function () {
  this.timeout(60_000);
  let p: PlatformApp;
  let doc: Doc;
  before(async () => {
    p = await startPlatformApp();
    doc = (await (await p.app.fetch('/openapi.json', { token: null })).json()) as Doc;
  });
  after(async () => {
    await p.close();
  });

  it('documents every new operation with bearer security, parameters and responses', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => [op['operationId'] as string, `${m} ${path}`] as const));
    const found = Object.fromEntries(ops.filter(([id]) => id in OPERATIONS));
    expect(found).to.deep.equal(OPERATIONS);
    for (const [id, at] of Object.entries(OPERATIONS)) {
      const [method, path] = at.split(' ') as [string, string];
      const op = doc.paths[path]![method]!;
      expect(op['security'], id).to.deep.equal([{ bearerAuth: [] }]);
      expect(Object.keys(op['responses'] as object), id).to.include('401');
    }
    const rows = doc.paths['/v1/sources/{source}/databases/{database}/tables/{table}/rows']!['get']!;
    const content = (rows['responses'] as Record<string, { content: Record<string, unknown> }>)['200']!.content;
    expect(Object.keys(content)).to.deep.equal(['application/json', 'application/x-ndjson']);
    expect((rows['parameters'] as { name: string; in: string }[]).map((x) => `${x.in}:${x.name}`)).to.deep.equal([
      'path:source',
      'path:database',
      'path:table',
      'query:filter',
      'query:limit',
      'query:format',
    ]);
    const exists = doc.paths['/v1/volumes/{volume}']!['head']!['responses'] as Record<string, JsonObject>;
    expect(Object.keys(exists).sort()).to.deep.equal(['200', '400', '401', '403', '404', '500']);
    const upload = doc.paths['/v1/templates/upload']!['post']!;
    expect(Object.keys((upload['requestBody'] as { content: object }).content)).to.deep.equal([
      'application/gzip',
      'application/x-gzip',
      'application/x-tar+gzip',
      'application/octet-stream',
    ]);
    const best = (doc.paths['/v1/volumes/{volume}/best']!['get']!['responses'] as Record<string, { headers: object }>)['200']!;
    expect(Object.keys(best.headers)).to.include('X-Hfit-File-Path');
    // Every reference resolves (the patch body's recursive JSON values included).
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).to.be.greaterThan(20);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([A-Za-z0-9_]+)"$/.exec(ref)?.[1];
      expect(name, ref).to.be.a('string');
      expect(doc.components.schemas, ref).to.have.property(name!);
    }
  });

  it('refuses every new operation without a token or with a wrong one: 401, nothing done', async () => {
    const sample: Record<string, string> = { source: 'shop_mysql', database: p.fixture.my.name, table: 'orders', volume: 'invoices', name: 'order_incident' };
    for (const [id, at] of Object.entries(OPERATIONS)) {
      const [method, path] = at.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_, k: string) => sample[k]!) + (id === 'downloadVolumeFile' ? '?path=invoice_1.txt' : '');
      const body = ['post', 'put', 'patch'].includes(method) ? JSON.stringify({ text: p.fixture.template }) : undefined;
      for (const token of [null, 'wrong-token-0123456789']) {
        const res = await p.app.fetch(url, { method: method.toUpperCase(), token, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) });
        expect(res.status, `${id} with token ${String(token)}`).to.equal(401);
        expect(res.headers.get('www-authenticate'), id).to.match(/^Bearer realm="hfit"/);
        if (method !== 'head') expect(((await res.json()) as Problem).code, id).to.equal('UNAUTHENTICATED');
      }
    }
    // Nothing was created on the way.
    expect(await p.templates.list('alice')).to.deep.equal([]);
  });
});
