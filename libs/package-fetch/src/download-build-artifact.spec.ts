import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiClient, type ApiClient } from '@hfit/api-client';
import { isHfitError, type BuildView, type HfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { downloadBuildArtifact, type DownloadProgress } from './download-build-artifact.js';
import { DownloadInterruptedError } from './download-interrupted-error.js';
import { startArtifactServer, succeededBuild, type ArtifactServer } from './testing/artifact-server.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

async function hfitRejection(p: Promise<unknown>): Promise<HfitError> {
  const e = await rejection(p);
  if (!isHfitError(e)) throw e;
  return e;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe('downloadBuildArtifact', () => {
  const archive = randomBytes(300_000);
  const sha256 = createHash('sha256').update(archive).digest('hex');
  let dir: string;
  let server: ArtifactServer;
  let client: ApiClient;
  let build: BuildView;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-download-'));
    const id = `b-${randomUUID()}`;
    server = await startArtifactServer(id, archive);
    client = createApiClient({ baseUrl: server.url, token: 'test-token' });
    build = succeededBuild(id, archive);
    file = path.join(dir, 'downloads', 'pkg.tar.gz');
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads and verifies an archive, leaving no partial files', async () => {
    const progress: DownloadProgress[] = [];
    const result = await downloadBuildArtifact(client, build, { file, onProgress: (p) => progress.push(p) });
    expect(result).to.deep.equal({ file, sha256, bytes: archive.length, resumedFrom: 0 });
    expect((await readFile(file)).equals(archive)).to.equal(true);
    expect(await readdir(path.dirname(file))).to.deep.equal(['pkg.tar.gz']);
    expect(server.requests).to.have.length(1);
    expect(server.requests[0]).to.deep.include({ range: undefined, ifRange: undefined, authorization: 'Bearer test-token' });
    expect(progress[0]).to.deep.equal({ received: 0, total: archive.length, resumedFrom: 0 });
    expect(progress.at(-1)).to.deep.equal({ received: archive.length, total: archive.length, resumedFrom: 0 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.received).to.be.greaterThan(progress[i - 1]!.received);
  });

  it('keeps the bytes of an interrupted download and resumes after them with Range and If-Range', async () => {
    const cut = 100_000;
    server.next.push({ cutAfter: cut });
    const e = await rejection(downloadBuildArtifact(client, build, { file }));
    expect(e).to.be.instanceOf(DownloadInterruptedError);
    expect((e as DownloadInterruptedError).received).to.equal(cut);
    expect((e as Error).message).to.match(/run the command again to resume/);
    expect((await stat(`${file}.part`)).size).to.equal(cut);
    expect(JSON.parse(await readFile(`${file}.part.json`, 'utf8'))).to.deep.equal({ buildId: build.id, sha256, size: archive.length, etag: `"${sha256}"` });
    expect(await exists(file)).to.equal(false);

    const progress: DownloadProgress[] = [];
    const result = await downloadBuildArtifact(client, build, { file, onProgress: (p) => progress.push(p) });
    expect(result).to.deep.equal({ file, sha256, bytes: archive.length, resumedFrom: cut });
    expect(server.requests[1]).to.deep.include({ range: `bytes=${cut}-`, ifRange: `"${sha256}"` });
    expect(progress[0]).to.deep.equal({ received: cut, total: archive.length, resumedFrom: cut });
    expect((await readFile(file)).equals(archive)).to.equal(true);
    expect(await readdir(path.dirname(file))).to.deep.equal(['pkg.tar.gz']);
  });

  it('deletes a corrupt download and says to run the command again', async () => {
    server.next.push({ flipByteAt: 12_345 });
    const e = await hfitRejection(downloadBuildArtifact(client, build, { file }));
    expect(e.code).to.equal('DOWNLOAD_CORRUPT');
    expect(e.message).to.include(sha256).and.match(/download was deleted: run the command again/);
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
    // The next attempt starts from the beginning and succeeds.
    expect((await downloadBuildArtifact(client, build, { file })).resumedFrom).to.equal(0);
    expect(server.requests[1]!.range).to.equal(undefined);
  });

  it('hashes the bytes kept on disk: a kept prefix changed between attempts is found corrupt', async () => {
    server.next.push({ cutAfter: 50_000 });
    await rejection(downloadBuildArtifact(client, build, { file }));
    const part = await readFile(`${file}.part`);
    part[10] = part[10]! ^ 0x01;
    await writeFile(`${file}.part`, part);
    const e = await hfitRejection(downloadBuildArtifact(client, build, { file }));
    expect(e.code).to.equal('DOWNLOAD_CORRUPT');
    expect(server.requests[1]!.range).to.equal('bytes=50000-');
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
  });

  it('finds a byte flipped in the resumed part', async () => {
    server.next.push({ cutAfter: 50_000 }, { flipByteAt: 250_000 });
    await rejection(downloadBuildArtifact(client, build, { file }));
    const e = await hfitRejection(downloadBuildArtifact(client, build, { file }));
    expect(e.code).to.equal('DOWNLOAD_CORRUPT');
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
  });

  it('starts over cleanly when the server answers a range request with the whole archive', async () => {
    server.next.push({ cutAfter: 80_000 }, { ignoreRange: true });
    await rejection(downloadBuildArtifact(client, build, { file }));
    const result = await downloadBuildArtifact(client, build, { file });
    expect(server.requests).to.have.length(2);
    expect(server.requests[1]!.range).to.equal('bytes=80000-');
    expect(result).to.deep.equal({ file, sha256, bytes: archive.length, resumedFrom: 0 });
    expect((await readFile(file)).equals(archive)).to.equal(true);
    expect(await readdir(path.dirname(file))).to.deep.equal(['pkg.tar.gz']);
  });

  it('starts over when If-Range no longer matches (the ETag changed)', async () => {
    server.next.push({ cutAfter: 80_000, etag: '"v1"' }, { etag: '"v2"' });
    await rejection(downloadBuildArtifact(client, build, { file }));
    const result = await downloadBuildArtifact(client, build, { file });
    expect(server.requests[1]).to.deep.include({ range: 'bytes=80000-', ifRange: '"v1"' });
    expect(result.resumedFrom).to.equal(0);
    expect((await readFile(file)).equals(archive)).to.equal(true);
  });

  it('keeps the .part when aborted, and resumes from it', async () => {
    server.next.push({ stallAfter: 120_000 });
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    const e = await rejection(
      downloadBuildArtifact(client, build, {
        file,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.received >= 120_000) controller.abort(reason);
        },
      }),
    );
    expect(e).to.equal(reason);
    expect((await stat(`${file}.part`)).size).to.equal(120_000);
    expect(await exists(`${file}.part.json`)).to.equal(true);
    const result = await downloadBuildArtifact(client, build, { file });
    expect(result.resumedFrom).to.equal(120_000);
    expect(server.requests[1]!.range).to.equal('bytes=120000-');
    expect((await readFile(file)).equals(archive)).to.equal(true);
  });

  it('refuses, before any request, builds without an archive', async () => {
    const cases: [Partial<BuildView>, string, RegExp][] = [
      [{ state: 'running', artifact: undefined }, 'BUILD_NOT_FINISHED', /is running: wait until it succeeds/],
      [{ state: 'queued', artifact: undefined }, 'BUILD_NOT_FINISHED', /is queued/],
      [{ state: 'failed', artifact: undefined, error: { code: 'TABLE_UNKNOWN', message: 'no table t' } }, 'BUILD_NOT_FINISHED', /failed \(TABLE_UNKNOWN: no table t\)/],
      [{ state: 'cancelled', artifact: undefined }, 'BUILD_CANCELLED', /was cancelled/],
      [{ artifact: undefined }, 'ARTIFACT_MISSING', /no longer stored/],
    ];
    for (const [change, code, message] of cases) {
      const e = await hfitRejection(downloadBuildArtifact(client, { ...build, ...change }, { file }));
      expect(e.code, JSON.stringify(change)).to.equal(code);
      expect(e.message).to.match(message);
    }
    expect(server.requests).to.have.length(0);
    expect(await exists(path.dirname(file))).to.equal(false);
  });

  it('does not resume into the .part of another build', async () => {
    server.next.push({ cutAfter: 60_000 });
    await rejection(downloadBuildArtifact(client, build, { file }));
    const record = JSON.parse(await readFile(`${file}.part.json`, 'utf8')) as Record<string, unknown>;
    await writeFile(`${file}.part.json`, JSON.stringify({ ...record, buildId: 'another-build' }));
    const result = await downloadBuildArtifact(client, build, { file });
    expect(result.resumedFrom).to.equal(0);
    expect(server.requests[1]!.range).to.equal(undefined);
    expect((await readFile(file)).equals(archive)).to.equal(true);
  });

  it('does not resume from a .part without its record', async () => {
    server.next.push({ cutAfter: 60_000 });
    await rejection(downloadBuildArtifact(client, build, { file }));
    await rm(`${file}.part.json`);
    expect((await downloadBuildArtifact(client, build, { file })).resumedFrom).to.equal(0);
    expect(server.requests[1]!.range).to.equal(undefined);
  });

  it('finishes a complete .part left by an attempt that stopped before the rename, without a request', async () => {
    await downloadBuildArtifact(client, build, { file });
    await rename(file, `${file}.part`);
    await writeFile(`${file}.part.json`, JSON.stringify({ buildId: build.id, sha256, size: archive.length }));
    const result = await downloadBuildArtifact(client, build, { file });
    expect(result).to.deep.equal({ file, sha256, bytes: archive.length, resumedFrom: archive.length });
    expect(server.requests).to.have.length(1);
    expect(await readdir(path.dirname(file))).to.deep.equal(['pkg.tar.gz']);
  });

  it('refuses, before writing, an archive whose ETag names another sha256 than the build', async () => {
    const other = 'a'.repeat(64);
    server.next.push({ etag: `"${other}"` });
    const e = await hfitRejection(downloadBuildArtifact(client, build, { file }));
    expect(e.code).to.equal('DOWNLOAD_CORRUPT');
    expect(e.message).to.include(other);
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
  });

  it('stops reading and deletes the download when the server sends more than the archive has', async () => {
    const shorter = { ...build, artifact: { ...build.artifact!, size: archive.length - 1000 } };
    const e = await hfitRejection(downloadBuildArtifact(client, shorter, { file }));
    expect(e.code).to.equal('DOWNLOAD_CORRUPT');
    expect(e.message).to.match(new RegExp(`sent more than the ${archive.length - 1000} bytes`));
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
  });

  it('passes API errors on and keeps nothing', async () => {
    const e = await rejection(downloadBuildArtifact(createApiClient({ baseUrl: server.url }), { ...build, id: 'missing' }, { file }));
    expect((e as { status?: number }).status).to.equal(404);
    expect(await readdir(path.dirname(file))).to.deep.equal([]);
  });
});
