import { expect } from 'chai';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import type { JsonObject } from './openapi-document.js';
import type { RouteModule } from './route-module.js';
import { RouteRegistry } from './route-registry.js';
import { reply } from './route-spec.js';

const NoteSchema = z.object({ n: z.number().int(), text: z.string(), tags: z.array(z.string()) });

/** A route module from outside the API's own, the way browse and template routes are added. */
const notesRoutes: RouteModule = (registry) => {
  registry.components({ Note: NoteSchema });
  registry.add({
    method: 'put',
    path: '/v1/notes/:n',
    operationId: 'putNote',
    summary: 'Store a note',
    tags: ['notes'],
    auth: 'bearer',
    params: z.object({ n: z.coerce.number().int().min(1) }),
    query: z.object({ tag: z.string().optional() }),
    body: { 'application/json': z.object({ text: z.string().min(1) }).strict() },
    responses: { 200: { description: 'The note', schema: NoteSchema } },
    problems: [409],
    handle: async ({ params, query, body }) => reply(200, { n: params.n, text: body.value.text, tags: query.tag === undefined ? [] : [query.tag] }),
  });
};

/** Every `$ref` anywhere under `node`. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const EXPECTED = [
  'get /healthz',
  'get /readyz',
  'get /openapi.json',
  'get /v1/whoami',
  'post /v1/builds',
  'post /v1/builds/validate',
  'get /v1/builds',
  'get /v1/builds/{id}',
  'post /v1/builds/{id}/cancel',
  'get /v1/builds/{id}/artifact',
  'get /v1/packages/{name}/latest',
  'put /v1/notes/{n}',
];

describe('route registry and OpenAPI document', () => {
  let app: TestApp;
  let doc: JsonObject & { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };
  before(async () => {
    app = await startTestApp({ routers: [notesRoutes] });
    const res = await app.fetch('/openapi.json', { token: null });
    expect(res.status).to.equal(200);
    doc = (await res.json()) as typeof doc;
  });
  after(async () => {
    await app.close();
  });

  it('is an OpenAPI 3.1 document with every registered route, and only those', () => {
    expect(doc['openapi']).to.equal('3.1.0');
    expect(doc['info']).to.include({ title: 'hfit API', version: '1.0.0' });
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(ops.sort()).to.deep.equal([...EXPECTED].sort());
    const ids = Object.values(doc.paths).flatMap((m) => Object.values(m).map((op) => op['operationId']));
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('resolves every $ref to a component schema', () => {
    const all = refs(doc);
    expect(all.length).to.be.greaterThan(10);
    for (const ref of all) {
      expect(ref, ref).to.match(/^#\/components\/schemas\/[A-Za-z0-9_]+$/);
      expect(doc.components.schemas, ref).to.have.property(ref.slice('#/components/schemas/'.length));
    }
    expect(Object.keys(doc.components.schemas)).to.include.members(['Problem', 'BuildView', 'BuildList', 'BuildAccepted', 'Health', 'WhoAmI', 'Note']);
    const buildList = doc.components.schemas['BuildList'] as { properties: { items: { items: unknown } } };
    expect(buildList.properties.items.items).to.deep.equal({ $ref: '#/components/schemas/BuildView' });
    const problem = doc.components.schemas['Problem'] as { required: string[] };
    expect(problem.required).to.include.members(['type', 'title', 'status', 'detail', 'code']);
  });

  it('documents security, parameters, bodies, responses and problems per operation', () => {
    const submit = doc.paths['/v1/builds']!['post']!;
    expect(submit['security']).to.deep.equal([{ bearerAuth: [] }]);
    expect(doc.paths['/healthz']!['get']!['security']).to.deep.equal([]);
    expect(Object.keys((submit['requestBody'] as { content: object }).content)).to.deep.equal(['application/json', 'application/yaml', 'text/yaml', 'application/x-yaml']);
    const params = submit['parameters'] as { name: string; in: string }[];
    expect(params.map((p) => `${p.in}:${p.name}`)).to.deep.equal(['query:arg', 'query:namedArg', 'query:format', 'query:rowFormat', 'query:consistency', 'header:idempotency-key']);
    expect(Object.keys(submit['responses'] as object).sort()).to.deep.equal(['200', '202', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503']);
    const get = doc.paths['/v1/builds/{id}']!['get']!;
    expect(get['parameters']).to.deep.equal([
      { name: 'id', in: 'path', required: true, description: 'Build id, as returned by POST /v1/builds', schema: { type: 'string', minLength: 1, maxLength: 200, description: 'Build id, as returned by POST /v1/builds' } },
    ]);
    expect((get['responses'] as Record<string, JsonObject>)['404']).to.deep.equal({
      description: 'Not Found (problem+json; `code` tells which)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    const artifact = doc.paths['/v1/builds/{id}/artifact']!['get']!['responses'] as Record<string, { content?: object }>;
    expect(Object.keys(artifact['206']!.content!)).to.deep.equal(['application/gzip', 'application/zip']);
    expect(Object.keys(artifact).sort()).to.deep.equal(['200', '206', '304', '307', '400', '401', '403', '404', '409', '410', '416', '500']);
    const list = doc.paths['/v1/builds']!['get']!['parameters'] as { name: string; required: boolean }[];
    expect(list.map((p) => `${p.name}:${p.required}`)).to.deep.equal(['template:false', 'package:false', 'state:false', 'limit:false', 'cursor:false']);
  });

  it('runs a module route with validated, typed input', async () => {
    const ok = await app.fetch('/v1/notes/3?tag=x', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ n: 3, text: 'hi', tags: ['x'] });
    const bad = await app.fetch('/v1/notes/0', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '', more: 1 }) });
    expect(bad.status).to.equal(400);
    const errors = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(errors).to.deep.equal(['body.more', 'body.text', 'params.n']);
  });

  it('serves a head route on HEAD only (405 with Allow for GET), documents it, and refuses it next to a GET route', async () => {
    const existsRoutes: RouteModule = (registry) =>
      registry.add({
        method: 'head',
        path: '/v1/things/:id',
        operationId: 'thingExists',
        summary: 'Whether a thing exists',
        auth: 'bearer',
        params: z.object({ id: z.string() }),
        responses: { 200: { description: 'yes' }, 404: { description: 'no' } },
        handle: async ({ params }) => (params.id === 'a' ? reply(200, undefined) : reply(404, undefined)),
      });
    const withHead = await startTestApp({ routers: [existsRoutes] });
    try {
      expect((await withHead.fetch('/v1/things/a', { method: 'HEAD' })).status).to.equal(200);
      expect((await withHead.fetch('/v1/things/b', { method: 'HEAD' })).status).to.equal(404);
      expect((await withHead.fetch('/v1/things/a', { method: 'HEAD', token: null })).status).to.equal(401);
      const get = await withHead.fetch('/v1/things/a');
      expect(get.status).to.equal(405);
      expect(get.headers.get('allow')).to.equal('HEAD, OPTIONS');
      const headDoc = (await (await withHead.fetch('/openapi.json')).json()) as typeof doc;
      expect(headDoc.paths['/v1/things/{id}']!['head']!['operationId']).to.equal('thingExists');
    } finally {
      await withHead.close();
    }
    const registry = new RouteRegistry();
    const base = { path: '/v1/t/:id', summary: 't', auth: 'public', params: z.object({ id: z.string() }), responses: { 200: { description: 't' } }, handle: async () => reply(200, undefined) } as const;
    registry.add({ ...base, method: 'get', operationId: 'getT' });
    expect(() => registry.add({ ...base, method: 'head', operationId: 'headT' })).to.throw(/already has a GET route; a GET route answers HEAD itself/);
    const other = new RouteRegistry();
    other.add({ ...base, method: 'head', operationId: 'headT' });
    expect(() => other.add({ ...base, method: 'get', operationId: 'getT' })).to.throw(/already has a HEAD route/);
  });

  it('refuses, at registration, a path whose parameters the params schema does not name, and a reused operationId', () => {
    const registry = new RouteRegistry();
    const route = { method: 'get', path: '/v1/x/:id', operationId: 'getX', summary: 'x', auth: 'public', responses: { 200: { description: 'x' } }, handle: async () => reply(200, undefined) } as const;
    expect(() => registry.add(route)).to.throw(/path parameters \[id\] and the params schema \[\] must name the same fields/);
    registry.add({ ...route, params: z.object({ id: z.string() }) });
    expect(() => registry.add({ ...route, path: '/v1/y/:id', params: z.object({ id: z.string() }) })).to.throw(/operationId "getX" is already used/);
    expect(() => registry.add({ ...route, operationId: 'getX2', params: z.object({ id: z.string() }) })).to.throw(/already registered/);
  });
});
