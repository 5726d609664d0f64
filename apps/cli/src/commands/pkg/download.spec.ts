import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTarGz, type TarEntry } from '@hfit/api/testing';
import type { Manifest } from '@hfit/contracts';
import { expect } from 'chai';
import type { BuildResult } from '../../build/build-result.js';
import type { FetchedPackage } from '../../download/fetch-package.js';
import { startArtifactProxy } from '../../testing/artifact-proxy.js';
import { runCli, runCommand } from '../../testing/run-command.js';
import { tempHome } from '../../testing/temp-home.js';
import { usePlatformCli } from '../../testing/use-platform-cli.js';
import { sha256File } from '../../testing/sha256-file.js';
import PkgBuild from './build.js';
import PkgDownload from './download.js';

/** Checks every file of an unpacked package against its manifest; returns the manifest. */
async function expectMatchesManifest(packageDir: string): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(path.join(packageDir, 'METADATA', 'manifest.json'), 'utf8')) as Manifest;
  expect(manifest.files.length).to.be.greaterThan(0);
  for (const f of manifest.files) expect(await sha256File(path.join(packageDir, ...f.path.split('/'))), f.path).to.equal(f.sha256);
  return manifest;
}

describe('hfit pkg-download: by id, --latest, from a template; resumed, verified, unpacked', function () {
  this.timeout(60_000);
  const cli = usePlatformCli({ tempDir: 'hfit-cli-download-' });
  let template: string;
  let built: BuildResult;

  before(async () => {
    const setup = await tempHome();
    try {
      const file = path.join(setup.dir, 'order_incident.yaml');
      await writeFile(file, cli.platform.fixture.template);
      const run = await runCommand<BuildResult>(PkgBuild, [file, '3', '--json', '--interval', '100'], { env: { ...setup.env, ...cli.platform.env } });
      expect(run.exitCode, run.stderr).to.equal(0);
      built = run.json<BuildResult>();
    } finally {
      await setup.dispose();
    }
  });

  beforeEach(async () => {
    template = path.join(cli.dir, 'order_incident.yaml');
    await writeFile(template, cli.platform.fixture.template);
  });

  it('downloads a build by id into <dir>/<packageName>/, every file matching the manifest, and removes the archive', async () => {
    const data = path.join(cli.dir, 'hfit-data');
    const run = await runCommand<FetchedPackage>(PkgDownload, [built.id, '--dir', data, '--json'], { env: cli.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const fetched = run.json<FetchedPackage>();
    expect(fetched).to.deep.include({ id: built.id, packageName: 'order_3', sha256: built.sha256, dir: path.join(data, 'order_3'), resumedFrom: 0 });
    expect(fetched.archive).to.equal(undefined);
    const manifest = await expectMatchesManifest(fetched.dir!);
    expect([...fetched.files!].sort()).to.deep.equal([...manifest.files.map((f) => f.path), 'METADATA/manifest.json'].sort());
    expect(await readFile(path.join(data, 'order_3', 'invoice.txt'), 'utf8')).to.equal('Invoice for order 3\n');
    expect(await readdir(data)).to.deep.equal(['order_3']);

    const text = await runCommand(PkgDownload, [built.id, '--dir', data], { env: cli.env });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.match(new RegExp(`downloaded order_3\\.tar\\.gz \\([\\d.]+ kB\\), sha256 ${built.sha256} verified\\nunpacked \\d+ files into ${data}/order_3\\n$`));
    expect(text.stdout).to.match(/^downloading order_3\.tar\.gz {2}0% {2}0 B \/ [\d.]+ kB$/m);
  });

  it('finds the newest build of a package with --latest, and keeps only the archive with --no-unpack', async () => {
    const latest = await runCommand<FetchedPackage>(PkgDownload, ['--latest', 'order_3', '--dir', cli.dir, '--json'], { env: cli.env });
    expect(latest.exitCode, latest.stderr).to.equal(0);
    expect(latest.json<FetchedPackage>().id).to.equal(built.id);
    await expectMatchesManifest(path.join(cli.dir, 'order_3'));
    const archiveOnly = await runCommand<FetchedPackage>(PkgDownload, [built.id, '--dir', cli.dir, '--no-unpack', '--json'], { env: cli.env });
    const archive = archiveOnly.json<FetchedPackage>().archive!;
    expect(archive).to.equal(path.join(cli.dir, 'order_3.tar.gz'));
    expect(await sha256File(archive)).to.equal(built.sha256);
    const none = await runCommand(PkgDownload, ['--latest', 'order_404', '--dir', cli.dir], { env: cli.env });
    expect(none.exitCode).to.equal(1);
    expect(none.stderr).to.match(/\(PACKAGE_NOT_FOUND\)\n$/);
  });

  it('builds then downloads when given a template and its arguments, as the original did', async () => {
    const run = await runCli(['pkg-download', template, '8', '--dir', cli.dir, '--interval', '100', '--format', 'zip', '--json'], { env: cli.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const fetched = run.json<FetchedPackage>();
    expect(fetched.artifact).to.deep.include({ name: 'order_8.zip', format: 'zip' });
    expect(await readFile(path.join(cli.dir, 'order_8', 'invoice.txt'), 'utf8')).to.equal('Invoice for order 8\n');
    await expectMatchesManifest(path.join(cli.dir, 'order_8'));
  });

  it('resumes an interrupted download with Range and verifies the whole archive', async () => {
    const half = Math.floor(built.artifact!.size / 2);
    const cutting = await startArtifactProxy(cli.platform.url, { cutAfter: half });
    const passing = await startArtifactProxy(cli.platform.url, {});
    try {
      const cut = await runCommand(PkgDownload, [built.id, '--dir', cli.dir], { env: { ...cli.env, HFIT_SERVER: cutting.url } });
      expect(cut.exitCode).to.equal(1);
      expect(cut.stderr).to.match(new RegExp(`^hfit: The download of build \\w+ stopped after ${half} of ${built.artifact!.size} bytes .*run the command again to resume\n$`));
      expect(await readdir(cli.dir)).to.not.include('order_3');
      const resumed = await runCommand<FetchedPackage>(PkgDownload, [built.id, '--dir', cli.dir, '--json'], { env: { ...cli.env, HFIT_SERVER: passing.url } });
      expect(resumed.exitCode, resumed.stderr).to.equal(0);
      const fetched = resumed.json<FetchedPackage>();
      expect(fetched).to.deep.include({ resumedFrom: half, sha256: built.sha256, bytes: built.artifact!.size });
      expect(passing.artifactRanges).to.deep.equal([`bytes=${half}-`]);
      await expectMatchesManifest(path.join(cli.dir, 'order_3'));
    } finally {
      await Promise.all([cutting.close(), passing.close()]);
    }
  });

  it('detects a corrupted byte: exit 4, nothing unpacked, the download deleted', async () => {
    const proxy = await startArtifactProxy(cli.platform.url, { flipByteAt: 200 });
    try {
      const run = await runCommand(PkgDownload, [built.id, '--dir', cli.dir, '--json'], { env: { ...cli.env, HFIT_SERVER: proxy.url } });
      expect(run.exitCode).to.equal(4);
      expect(run.json<{ error: { code: string } }>().error.code).to.equal('DOWNLOAD_CORRUPT');
      expect((await readdir(cli.dir)).filter((f) => f !== 'order_incident.yaml')).to.deep.equal([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses crafted archives a server could publish: nothing is written outside <dir>/<packageName>/, exit 4', async () => {
    const manifest: TarEntry = { name: 'order_3/METADATA/manifest.json', content: '{}' };
    const corpus: Record<string, TarEntry[]> = {
      'parent path': [manifest, { name: 'order_3/../../escaped.txt', content: 'x' }],
      'absolute path': [manifest, { name: '/tmp/hfit-cli-escaped.txt', content: 'x' }],
      'other top folder': [manifest, { name: 'other/escaped.txt', content: 'x' }],
      'symlink out, then a file through it': [manifest, { name: 'order_3/link', type: 'symlink', linkname: '../../outside' }, { name: 'order_3/link/escaped.txt', content: 'x' }],
      'absolute symlink': [{ name: 'order_3/passwd', type: 'symlink', linkname: '/etc/passwd' }, manifest],
    };
    const data = path.join(cli.dir, 'nested', 'hfit-data');
    await mkdir(data, { recursive: true });
    const before = await readdir(cli.dir, { recursive: true });
    for (const [label, entries] of Object.entries(corpus)) {
      const proxy = await startArtifactProxy(cli.platform.url, { replaceWith: buildTarGz(entries) });
      try {
        const run = await runCommand(PkgDownload, [built.id, '--dir', data, '--json'], { env: { ...cli.env, HFIT_SERVER: proxy.url } });
        expect(run.exitCode, `${label}: ${run.stdout}`).to.equal(4);
        expect(run.json<{ error: { code: string } }>().error.code, label).to.equal('ARCHIVE_UNSAFE');
        expect((await readdir(cli.dir, { recursive: true })).sort(), label).to.deep.equal([...before].sort());
      } finally {
        await proxy.close();
      }
    }
    await expectNoFile('/tmp/hfit-cli-escaped.txt');
  });
});

async function expectNoFile(file: string): Promise<void> {
  const found = await readFile(file).then(
    () => true,
    () => false,
  );
  expect(found, file).to.equal(false);
}
