import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { HfitError, type Problem } from '@hfit/contracts';
import { expect } from 'chai';
import { CollectingAuditSink } from '../testing/collecting-audit-sink.js';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('artifact download', () => {
  let app: TestApp;
  let id: string;
  const bytes = randomBytes(1000);
  const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;

  async function newBuild(format: 'tar.gz' | 'zip' = 'tar.gz'): Promise<string> {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: 'templateName: snap\n', options: { format } }) });
    return ((await res.json()) as { id: string }).id;
  }

  function opens(): unknown[] {
    return app.builds.calls.filter((c) => c.method === 'openArtifact').map((c) => c.args[1]);
  }

  beforeEach(async () => {
    app = await startTestApp();
    id = await newBuild();
    app.builds.succeed(id, bytes, { packageName: 'snap_1', finishedAt: '2026-03-01T10:00:00.000Z' });
  });
  afterEach(async () => {
    await app.close();
  });

  it('streams the whole archive with its representation headers', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`);
    expect(res.status).to.equal(200);
    expect(Object.fromEntries(['content-type', 'content-length', 'etag', 'accept-ranges', 'content-disposition', 'last-modified'].map((h) => [h, res.headers.get(h)]))).to.deep.equal({
      'content-type': 'application/gzip',
      'content-length': '1000',
      etag,
      'accept-ranges': 'bytes',
      'content-disposition': 'attachment; filename=snap_1.tar.gz',
      'last-modified': 'Sun, 01 Mar 2026 10:00:00 GMT',
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
    expect(opens()).to.deep.equal([undefined]);
  });

  it('records the download before the first byte (started) and after the last (success, bytes, sha256)', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
    const events = app.audit.of('build.download').map((e) => ({ outcome: e.outcome, buildId: e.buildId, sha256: e.sha256, bytes: e.bytes }));
    const sha256 = etag.slice(1, -1);
    expect(events).to.deep.equal([
      { outcome: 'started', buildId: id, sha256, bytes: undefined },
      { outcome: 'success', buildId: id, sha256, bytes: 1000 },
    ]);
  });

  it('sends no byte of the archive when the audit log cannot record the download (503)', async () => {
    await app.close();
    const log = { down: false, record: () => (log.down ? Promise.reject(new HfitError('SERVICE_UNAVAILABLE', 'the audit log cannot be written')) : Promise.resolve()) };
    app = await startTestApp({ audit: new CollectingAuditSink(log) });
    id = await newBuild();
    app.builds.succeed(id, bytes, { packageName: 'snap_1' });
    log.down = true;
    const res = await app.fetch(`/v1/builds/${id}/artifact`);
    expect(res.status).to.equal(503);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(res.headers.get('content-disposition')).to.equal(null);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.includes(bytes.subarray(0, 32))).to.equal(false);
    expect(app.audit.of('build.download')).to.deep.equal([]);
  });

  it('labels a zip archive application/zip', async () => {
    const zipId = await newBuild('zip');
    app.builds.succeed(zipId, bytes, { packageName: 'snap_2' });
    const res = await app.fetch(`/v1/builds/${zipId}/artifact`);
    expect(res.headers.get('content-type')).to.equal('application/zip');
    expect(res.headers.get('content-disposition')).to.equal('attachment; filename=snap_2.zip');
    await res.arrayBuffer();
  });

  it('answers a closed range with 206, Content-Range and exactly those bytes', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=100-199' } });
    expect(res.status).to.equal(206);
    expect(res.headers.get('content-range')).to.equal('bytes 100-199/1000');
    expect(res.headers.get('content-length')).to.equal('100');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(100, 200))).to.equal(true);
    expect(opens()).to.deep.equal([{ start: 100, end: 199 }]);
  });

  it('answers an open range and a suffix range (resuming and tail reads)', async () => {
    const open = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=990-' } });
    expect(open.status).to.equal(206);
    expect(open.headers.get('content-range')).to.equal('bytes 990-999/1000');
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(990))).to.equal(true);
    const suffix = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=-25' } });
    expect(suffix.status).to.equal(206);
    expect(suffix.headers.get('content-range')).to.equal('bytes 975-999/1000');
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(975))).to.equal(true);
  });

  it('answers 416 with Content-Range: bytes */size for a range past the end', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=1000-' } });
    expect(res.status).to.equal(416);
    expect(res.headers.get('content-range')).to.equal('bytes */1000');
    expect(res.headers.get('etag')).to.equal(null);
    const p = (await res.json()) as Problem;
    expect(p).to.include({ code: 'STORAGE_RANGE_INVALID', status: 416 });
    expect(opens()).to.deep.equal([]);
  });

  it('answers a multi-range request with the whole archive (200)', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=0-9,20-29' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-range')).to.equal(null);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
  });

  it('answers If-None-Match with the current ETag with 304 and no body, without opening storage', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { 'If-None-Match': `"stale", ${etag}` } });
    expect(res.status).to.equal(304);
    expect(res.headers.get('etag')).to.equal(etag);
    expect(await res.text()).to.equal('');
    expect(opens()).to.deep.equal([]);
    const changed = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { 'If-None-Match': '"stale"' } });
    expect(changed.status).to.equal(200);
    await changed.arrayBuffer();
  });

  it('honours a range under a matching If-Range only', async () => {
    const same = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    expect(same.status).to.equal(206);
    await same.arrayBuffer();
    const other = await app.fetch(`/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=0-9', 'If-Range': '"0000"' } });
    expect(other.status).to.equal(200);
    expect(Buffer.from(await other.arrayBuffer()).equals(bytes)).to.equal(true);
  });

  it('answers HEAD with the headers of a GET and no body, ignoring Range', async () => {
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { method: 'HEAD', headers: { Range: 'bytes=0-9' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-length')).to.equal('1000');
    expect(res.headers.get('etag')).to.equal(etag);
    expect(res.headers.get('content-type')).to.equal('application/gzip');
    expect(await res.text()).to.equal('');
    expect(opens()).to.deep.equal([]);
  });

  it('redirects (307, no-store) to a presigned URL when the service gives one', async () => {
    app.builds.presignUrl = (buildId) => `https://s3.example/bucket/${buildId}.tar.gz?X-Amz-Signature=abc`;
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { redirect: 'manual' });
    expect(res.status).to.equal(307);
    expect(res.headers.get('location')).to.equal(`https://s3.example/bucket/${id}.tar.gz?X-Amz-Signature=abc`);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    await res.arrayBuffer();
  });

  it("answers the service's problem for a build without an artifact", async () => {
    const queued = await newBuild();
    const res = await app.fetch(`/v1/builds/${queued}/artifact`);
    expect(res.status).to.equal(409);
    expect(res.headers.get('content-disposition')).to.equal(null);
    expect(((await res.json()) as Problem).code).to.equal('BUILD_NOT_FINISHED');
  });

  it('destroys the storage stream when the client disconnects mid-download', async () => {
    let body: Readable | undefined;
    app.builds.openBody = (slice) => {
      // A storage read that sends 100 bytes, then stalls: only a disconnect can end this download.
      let sent = false;
      body = new Readable({
        read() {
          if (!sent) this.push(slice.subarray(0, 100));
          sent = true;
        },
      });
      return body;
    };
    const abort = new AbortController();
    const res = await app.fetch(`/v1/builds/${id}/artifact`, { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    if (!body!.closed) await new Promise((resolve) => body!.on('close', resolve));
    expect(body!.destroyed).to.equal(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(app.logs.text()).to.include('artifact download aborted by the client');
  });
});
