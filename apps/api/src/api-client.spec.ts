import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  ApiResponseInvalidError,
  BuildWaitTimeoutError,
  createApiClient,
  isApiError,
  waitForBuild,
  type ApiClient,
} from '@hfit/api-client';
import { HfitError } from '@hfit/contracts';
import type { BuildState } from '@hfit/contracts';
import { expect } from 'chai';
import { TEST_TOKENS, startTestApp, type TestApp } from './testing/start-test-app.js';

const TEMPLATE = 'hfitVersion: 1\ntemplateName: nightly\npackageName: nightly_$1\nexports: {}\n';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('@hfit/api-client against the API', () => {
  let app: TestApp;
  let client: ApiClient;
  beforeEach(async () => {
    app = await startTestApp({ readiness: { redis: async () => undefined } });
    client = createApiClient({ baseUrl: app.url, token: TEST_TOKENS.alice, userAgent: 'hfit-cli/test' });
  });
  afterEach(async () => {
    await app.close();
  });

  describe('health and identity', () => {
    it('reads health, readiness (ok and unavailable) and whoami, sending its user agent', async () => {
      expect(await client.health()).to.deep.equal({ status: 'ok' });
      expect(await client.ready()).to.deep.equal({ status: 'ok', checks: { redis: 'ok' } });
      expect(await client.whoami()).to.deep.include({ user: 'alice', via: 'static-token' });
      expect(app.logs.records().some((r) => (r['req'] as { userAgent?: string } | undefined)?.userAgent === 'hfit-cli/test')).to.equal(true);
      const down = await startTestApp({ readiness: { redis: async () => Promise.reject(new HfitError('REDIS_UNREACHABLE', 'down')) } });
      try {
        expect(await createApiClient({ baseUrl: down.url }).ready()).to.deep.equal({ status: 'unavailable', checks: { redis: 'failed: REDIS_UNREACHABLE' } });
      } finally {
        await down.close();
      }
    });

    it('throws ApiError UNAUTHENTICATED without or with a wrong token', async () => {
      for (const token of [undefined, 'wrong-token-0123456789']) {
        const e = await rejection(createApiClient({ baseUrl: app.url, ...(token === undefined ? {} : { token }) }).whoami());
        expect(e).to.be.instanceOf(ApiError);
        expect(e).to.include({ status: 401, code: 'UNAUTHENTICATED' });
        expect((e as ApiError).message).to.match(/^UNAUTHENTICATED \(HTTP 401\): .*operator of this hfit server/);
        expect((e as ApiError).requestId).to.be.a('string');
      }
    });
  });

  describe('builds', () => {
    it('submits, replays with an idempotency key, and reports a conflict', async () => {
      const first = await client.builds.submit({ template: TEMPLATE, args: ['1'] }, { idempotencyKey: 'key-1' });
      expect(first.created).to.equal(true);
      expect(first.build).to.deep.include({ state: 'queued' });
      const again = await client.builds.submit({ template: TEMPLATE, args: ['1'] }, { idempotencyKey: 'key-1' });
      expect(again).to.deep.equal({ build: first.build, created: false });
      const e = await rejection(client.builds.submit({ template: TEMPLATE, args: ['2'] }, { idempotencyKey: 'key-1' }));
      expect(isApiError(e, 'IDEMPOTENCY_CONFLICT')).to.equal(true);
      expect((e as ApiError).status).to.equal(409);
    });

    it('surfaces every validation problem of a rejected request', async () => {
      const e = await rejection(client.builds.submit({ template: TEMPLATE, templateName: 'both', options: { format: 'rar' as 'zip' } }));
      expect(e).to.be.instanceOf(ApiError);
      expect((e as ApiError).code).to.equal('REQUEST_INVALID');
      expect((e as ApiError).errors.map((x) => x.field)).to.deep.equal(['body.options.format']);
      const both = await rejection(client.builds.submit({ template: TEMPLATE, templateName: 'both' }));
      expect((both as ApiError).errors).to.deep.equal([{ field: 'body.template', message: 'give exactly one of "template" (YAML text) or "templateName" (a stored template)' }]);
    });

    it('gets, lists, cancels and finds the latest build', async () => {
      const a = (await client.builds.submit({ template: TEMPLATE, args: ['1'] })).build;
      const b = (await client.builds.submit({ template: TEMPLATE, args: ['2'] })).build;
      expect((await client.builds.get(a.id)).args).to.deep.equal(['1']);
      const page = await client.builds.list({ template: 'nightly', limit: 1 });
      expect(page.items.map((v) => v.id)).to.deep.equal([b.id]);
      expect((await client.builds.list({ cursor: page.nextCursor! })).items.map((v) => v.id)).to.deep.equal([a.id]);
      expect((await client.builds.cancel(a.id)).state).to.equal('cancelled');
      app.builds.succeed(b.id, Buffer.from('x'), { packageName: 'nightly_2' });
      expect((await client.builds.latest('nightly_2')).id).to.equal(b.id);
      const missing = await rejection(client.builds.get('nope'));
      expect(isApiError(missing, 'BUILD_NOT_FOUND')).to.equal(true);
    });

    it('rejects a success response that breaks the contract with ApiResponseInvalidError', async () => {
      const loose = await startTestApp({ validateResponses: false });
      try {
        const c = createApiClient({ baseUrl: loose.url, token: TEST_TOKENS.alice });
        const { build } = await c.builds.submit({ template: TEMPLATE });
        loose.builds.update(build.id, { state: 'exploded' as BuildState });
        const e = await rejection(c.builds.get(build.id));
        expect(e).to.be.instanceOf(ApiResponseInvalidError);
        expect((e as Error).message).to.match(/^Unexpected answer to GET \/v1\/builds\/\w+ \(HTTP 200\): state: /);
      } finally {
        await loose.close();
      }
    });
  });

  describe('downloadArtifact', () => {
    const bytes = randomBytes(5000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let id: string;
    beforeEach(async () => {
      id = (await client.builds.submit({ template: TEMPLATE, args: ['7'] })).build.id;
      app.builds.succeed(id, bytes, { packageName: 'nightly_7' });
    });

    it('streams the whole archive with its size, sha256 and file name', async () => {
      const d = await client.builds.downloadArtifact(id);
      expect(d).to.include({ status: 200, contentType: 'application/gzip', contentLength: 5000, totalSize: 5000, sha256, etag: `"${sha256}"`, fileName: 'nightly_7.tar.gz', range: undefined });
      expect((await readAll(d.body)).equals(bytes)).to.equal(true);
    });

    it('resumes from an offset under If-Range, reads a suffix, and restarts when the archive changed', async () => {
      const resumed = await client.builds.downloadArtifact(id, { range: { start: 4000 }, ifRange: `"${sha256}"` });
      expect(resumed).to.include({ status: 206, totalSize: 5000, contentLength: 1000 });
      expect(resumed.range).to.deep.equal({ start: 4000, end: 4999 });
      expect((await readAll(resumed.body)).equals(bytes.subarray(4000))).to.equal(true);
      const tail = await client.builds.downloadArtifact(id, { range: { suffix: 10 } });
      expect((await readAll(tail.body)).equals(bytes.subarray(4990))).to.equal(true);
      const changed = await client.builds.downloadArtifact(id, { range: { start: 4000 }, ifRange: '"0123"' });
      expect(changed.status).to.equal(200);
      expect((await readAll(changed.body)).length).to.equal(5000);
      const past = await rejection(client.builds.downloadArtifact(id, { range: { start: 5000 } }));
      expect(isApiError(past, 'STORAGE_RANGE_INVALID')).to.equal(true);
    });

    it('follows a presigned redirect to storage without sending the token there', async () => {
      const seen: IncomingHttpHeaders[] = [];
      const storage = createServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': String(bytes.length), ETag: `"${sha256}"` });
        res.end(bytes);
      });
      await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
      try {
        app.builds.presignUrl = (buildId) => `http://127.0.0.1:${(storage.address() as AddressInfo).port}/bucket/${buildId}?sig=1`;
        const d = await client.builds.downloadArtifact(id);
        expect(d.sha256).to.equal(sha256);
        expect((await readAll(d.body)).equals(bytes)).to.equal(true);
        expect(seen).to.have.length(1);
        expect(seen[0]!['authorization']).to.equal(undefined);
      } finally {
        await new Promise<void>((r) => storage.close(() => r()));
      }
    });
  });

  describe('waitForBuild', () => {
    it('polls until the build is final, reporting every poll', async () => {
      const { build } = await client.builds.submit({ template: TEMPLATE });
      app.builds.beforeGet = (buildId, count) => {
        if (count === 1) app.builds.update(buildId, { state: 'running', startedAt: new Date().toISOString() });
        if (count === 3) app.builds.succeed(buildId, Buffer.from('done'));
      };
      const states: string[] = [];
      const view = await waitForBuild(client, build.id, { intervalMs: 10, onPoll: (v) => void states.push(v.state) });
      expect(view.state).to.equal('succeeded');
      expect(states).to.deep.equal(['queued', 'running', 'running', 'succeeded']);
    });

    it('resolves with a failed or cancelled build too', async () => {
      const { build } = await client.builds.submit({ template: TEMPLATE });
      await client.builds.cancel(build.id);
      expect((await waitForBuild(client, build.id, { intervalMs: 10 })).state).to.equal('cancelled');
    });

    it('gives up after timeoutMs with a clear message', async () => {
      const { build } = await client.builds.submit({ template: TEMPLATE });
      const started = Date.now();
      const e = await rejection(waitForBuild(client, build.id, { intervalMs: 20, timeoutMs: 150 }));
      expect(Date.now() - started).to.be.within(140, 1500);
      expect(e).to.be.instanceOf(BuildWaitTimeoutError);
      expect((e as Error).message).to.equal(`Build ${build.id} did not finish within 150 ms (last seen queued, 0/0 exports done); it keeps running on the server`);
      expect((e as BuildWaitTimeoutError).lastView?.id).to.equal(build.id);
    });

    it('stops when aborted, with the signal reason', async () => {
      const { build } = await client.builds.submit({ template: TEMPLATE });
      const abort = new AbortController();
      setTimeout(() => abort.abort(new Error('user pressed ^C')), 50);
      const e = await rejection(waitForBuild(client, build.id, { intervalMs: 10, signal: abort.signal }));
      expect((e as Error).message).to.equal('user pressed ^C');
    });

    it('rides out transient 503s but fails at once on a permanent error', async () => {
      const { build } = await client.builds.submit({ template: TEMPLATE });
      app.builds.failNext('get', new HfitError('REDIS_UNREACHABLE', 'queue down', { permanent: false }));
      app.builds.beforeGet = (buildId, count) => {
        if (count === 1) app.builds.succeed(buildId, Buffer.from('ok'));
      };
      expect((await waitForBuild(client, build.id, { intervalMs: 10 })).state).to.equal('succeeded');
      const e = await rejection(waitForBuild(client, 'no-such-build', { intervalMs: 10 }));
      expect(isApiError(e, 'BUILD_NOT_FOUND')).to.equal(true);
      app.builds.beforeGet = undefined;
      const other = (await client.builds.submit({ template: TEMPLATE })).build;
      app.builds.failNext('get', new HfitError('REDIS_UNREACHABLE', 'queue down', { permanent: false }));
      const limited = await rejection(waitForBuild(client, other.id, { intervalMs: 10, maxTransientErrors: 0 }));
      expect(isApiError(limited, 'REDIS_UNREACHABLE')).to.equal(true);
    });
  });
});
