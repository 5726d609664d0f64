import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { isHfitError, type HfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { buildTar, buildTarGz, rawTarFileHeader, type TarTestEntry } from './testing/tar-gz-archive.js';
import { treeSnapshot } from './testing/tree-snapshot.js';
import { buildZip, type ZipTestEntry } from './testing/zip-archive.js';
import type { UnpackLimits } from './unpack-limits.js';
import { unpackPackage } from './unpack-package.js';

/** One crafted archive, made for the test's temp folder `root`, and what the refusal must say. */
interface UnsafeCase {
  readonly title: string;
  readonly archive: (root: string) => Promise<Buffer> | Buffer;
  readonly message: RegExp;
  readonly limits?: Partial<UnpackLimits>;
  readonly packageName?: string;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const tar = (entries: (root: string) => TarTestEntry[]) => (root: string) => buildTarGz(entries(root));
const zip = (entries: (root: string) => ZipTestEntry[]) => (root: string) => buildZip(entries(root));

const TAR_CASES: UnsafeCase[] = [
  { title: 'zip-slip ../../x', archive: tar(() => [{ name: '../../escape.txt', content: 'x' }]), message: /entry "\.\.\/\.\.\/escape\.txt" has a "\.\." segment/ },
  { title: '.. inside the package folder', archive: tar(() => [{ name: 'pkg/', type: 'directory' }, { name: 'pkg/a/../../../../escape.txt', content: 'x' }]), message: /has a "\.\." segment/ },
  { title: 'an absolute path', archive: tar((root) => [{ name: path.join(root, 'escape.txt'), content: 'x' }]), message: /is an absolute path/ },
  { title: 'a Windows drive path C:\\x', archive: tar(() => [{ name: 'C:\\escape.txt', content: 'x' }]), message: /Windows path separator/ },
  { title: 'a drive letter C:/x', archive: tar(() => [{ name: 'C:/escape.txt', content: 'x' }]), message: /starts with a drive letter/ },
  { title: 'backslash traversal', archive: tar(() => [{ name: 'pkg\\..\\..\\escape.txt', content: 'x' }]), message: /Windows path separator/ },
  {
    title: 'a symlink pointing out, then a file written through it',
    archive: tar((root) => [
      { name: 'pkg/', type: 'directory' },
      { name: 'pkg/link', type: 'symlink', linkname: path.join(root, 'escape-dir') },
      { name: 'pkg/link/evil.txt', content: 'pwned' },
    ]),
    message: /entry "pkg\/link" is a symbolic link to ".*escape-dir"/,
  },
  {
    title: 'a hard link pointing out, then a file written over it',
    archive: tar((root) => [
      { name: 'pkg/hard', type: 'link', linkname: path.join(root, 'secret.txt') },
      { name: 'pkg/hard', content: 'pwned' },
    ]),
    message: /entry "pkg\/hard" is a hard link to ".*secret\.txt"/,
  },
  { title: 'an entry outside the top folder', archive: tar(() => [{ name: 'pkg/ok.txt', content: 'ok' }, { name: 'other/x.txt', content: 'x' }]), message: /entry "other\/x\.txt" is outside the package folder "pkg\/"/ },
  { title: 'a file named like the top folder', archive: tar(() => [{ name: 'pkg', content: 'x' }]), message: /is a file where the package folder "pkg\/" should be/ },
  { title: 'a duplicate entry', archive: tar(() => [{ name: 'pkg/a.txt', content: 'first' }, { name: 'pkg/a.txt', content: 'second' }]), message: /entry "pkg\/a\.txt" appears twice/ },
  { title: 'entries differing only in case', archive: tar(() => [{ name: 'pkg/A.txt', content: '1' }, { name: 'pkg/a.txt', content: '2' }]), message: /and "pkg\/A\.txt" differ only in case/ },
  { title: 'a file that is also a folder', archive: tar(() => [{ name: 'pkg/a', content: '1' }, { name: 'pkg/a/b.txt', content: '2' }]), message: /would be inside "pkg\/a", which is a file/ },
  { title: 'a FIFO', archive: tar(() => [{ name: 'pkg/fifo', type: 'fifo' }]), message: /is a FIFO/ },
  { title: 'a character device', archive: tar(() => [{ name: 'pkg/null', type: 'character-device' }]), message: /is a character device/ },
  { title: 'a block device', archive: tar(() => [{ name: 'pkg/sda', type: 'block-device' }]), message: /is a block device/ },
  { title: 'a contiguous file (a type package archives never use)', archive: tar(() => [{ name: 'pkg/c', type: 'contiguous-file' }]), message: /contiguous-file/ },
  { title: 'a NUL in a name (PAX path)', archive: tar(() => [{ name: 'pkg/a\u0000b.txt', content: 'x', pax: true }]), message: /"pkg\/a\\u0000b\.txt" contains a control character/ },
  {
    title: 'a safe file followed by an unsafe one (the staging folder goes)',
    archive: tar(() => [{ name: 'pkg/', type: 'directory' }, { name: 'pkg/data/ok.txt', content: 'ok' }, { name: 'pkg/../escape.txt', content: 'x' }]),
    message: /has a "\.\." segment/,
  },
  {
    title: 'a header declaring 200 GiB (default limits)',
    archive: () => gzipSync(Buffer.concat([rawTarFileHeader('pkg/bomb.bin', 200 * GiB), Buffer.alloc(4096)])),
    message: /declares 214748364800 bytes, which would bring the files to more than 107374182400 bytes \(the maxTotalBytes limit\)/,
  },
  {
    title: 'a gzip bomb (8 MiB of zeros, 1 MiB allowed)',
    archive: tar(() => [{ name: 'pkg/zeros.bin', content: Buffer.alloc(8 * MiB) }]),
    limits: { maxTotalBytes: MiB },
    message: /maxTotalBytes limit/,
  },
  {
    title: 'megabytes of zeros after the last entry',
    archive: () => buildTarGz([{ name: 'pkg/a.txt', content: 'a' }], Buffer.alloc(8 * MiB)),
    limits: { maxTotalBytes: 1024, maxEntries: 10 },
    message: /tar data is larger than the limits allow/,
  },
  {
    title: 'more entries than allowed',
    archive: tar(() => ['a', 'b', 'c', 'd'].map((n) => ({ name: `pkg/${n}.txt`, content: n }))),
    limits: { maxEntries: 3 },
    message: /entry "pkg\/d\.txt" is one entry too many: the archive holds more than 3 entries/,
  },
  {
    title: 'a truncated download',
    archive: async () => (await buildTarGz([{ name: 'pkg/a.bin', content: randomBytes(100_000) }, { name: 'pkg/b.bin', content: 'b' }])).subarray(0, 60_000),
    message: /is not a valid tar\.gz archive \(unexpected end of file\)/,
  },
  {
    title: 'a tar cut inside an entry (gzip intact)',
    archive: async () => gzipSync((await buildTar([{ name: 'pkg/a.bin', content: randomBytes(10_000) }])).subarray(0, 4096)),
    message: /is not a valid tar\.gz archive/,
  },
  { title: 'an archive without files', archive: tar(() => [{ name: 'pkg/', type: 'directory' }, { name: 'pkg/empty/', type: 'directory' }]), message: /it holds no file under "pkg\/"/ },
  { title: 'data that is not gzip', archive: () => Buffer.from('this is not an archive'), message: /is not a valid tar\.gz archive/ },
  { title: 'a package name with a slash', archive: tar(() => [{ name: 'a/b/x.txt', content: 'x' }]), packageName: 'a/b', message: /the package name "a\/b" contains "\/"/ },
  { title: 'a package name of ".."', archive: tar(() => [{ name: '../x.txt', content: 'x' }]), packageName: '..', message: /the package name "\.\." has a "\.\." segment/ },
  { title: 'a package name of dots and spaces', archive: tar(() => [{ name: '.. /x.txt', content: 'x' }]), packageName: '.. ', message: /dots and spaces only/ },
];

const ZIP_CASES: UnsafeCase[] = [
  { title: 'zip-slip ../../x', archive: zip(() => [{ name: '../../escape.txt', content: 'x' }]), message: /entry "\.\.\/\.\.\/escape\.txt" has a "\.\." segment/ },
  { title: '.. inside the package folder', archive: zip(() => [{ name: 'pkg/a/../../../../escape.txt', content: 'x' }]), message: /has a "\.\." segment/ },
  { title: 'an absolute path', archive: zip((root) => [{ name: path.join(root, 'escape.txt'), content: 'x' }]), message: /is an absolute path/ },
  { title: 'a Windows drive path C:\\x', archive: zip(() => [{ name: 'C:\\escape.txt', content: 'x' }]), message: /Windows path separator/ },
  { title: 'a drive letter C:/x', archive: zip(() => [{ name: 'C:/escape.txt', content: 'x' }]), message: /starts with a drive letter/ },
  { title: 'backslash traversal', archive: zip(() => [{ name: 'pkg\\..\\..\\escape.txt', content: 'x' }]), message: /Windows path separator/ },
  {
    title: 'a symlink pointing out, then a file written through it',
    archive: zip((root) => [
      { name: 'pkg/link', content: path.join(root, 'escape-dir'), unixMode: 0o120777 },
      { name: 'pkg/link/evil.txt', content: 'pwned' },
    ]),
    message: /entry "pkg\/link" is a symbolic link/,
  },
  { title: 'an entry outside the top folder', archive: zip(() => [{ name: 'other/x.txt', content: 'x' }]), message: /is outside the package folder "pkg\/"/ },
  { title: 'a duplicate entry', archive: zip(() => [{ name: 'pkg/a.txt', content: '1' }, { name: 'pkg/a.txt', content: '2' }]), message: /appears twice/ },
  { title: 'names differing only in Unicode normalisation', archive: zip(() => [{ name: 'pkg/caf\u00e9.txt', content: '1' }, { name: 'pkg/cafe\u0301.txt', content: '2' }]), message: /differ only in case or Unicode normalisation/ },
  { title: 'a FIFO', archive: zip(() => [{ name: 'pkg/fifo', unixMode: 0o010644 }]), message: /is a FIFO/ },
  { title: 'a character device', archive: zip(() => [{ name: 'pkg/null', unixMode: 0o020644 }]), message: /is a character device/ },
  { title: 'a socket', archive: zip(() => [{ name: 'pkg/sock', unixMode: 0o140644 }]), message: /is a socket/ },
  { title: 'a folder mode on a file name', archive: zip(() => [{ name: 'pkg/x', unixMode: 0o040755 }]), message: /a directory by its mode but a file by its name/ },
  { title: 'a NUL in a name', archive: zip(() => [{ name: Buffer.from('pkg/a\u0000b.txt'), content: 'x' }]), message: /contains a control character/ },
  { title: 'a name flagged UTF-8 that is not', archive: zip(() => [{ name: Buffer.from([0x70, 0x6b, 0x67, 0x2f, 0xff, 0xfe]), utf8: true, content: 'x' }]), message: /flagged UTF-8 but is not/ },
  { title: 'a legacy code page name', archive: zip(() => [{ name: Buffer.from([0x70, 0x6b, 0x67, 0x2f, 0x81]), utf8: false, content: 'x' }]), message: /legacy code page/ },
  {
    title: 'an entry declaring 200 GiB (ZIP64, default limits)',
    archive: zip(() => [{ name: 'pkg/bomb.bin', content: 'x', declaredSize: 200 * GiB }]),
    message: /declares 214748364800 bytes.*maxTotalBytes/,
  },
  {
    title: 'a zip bomb (8 MiB of zeros, 1 MiB allowed)',
    archive: zip(() => [{ name: 'pkg/zeros.bin', content: Buffer.alloc(8 * MiB) }]),
    limits: { maxTotalBytes: MiB },
    message: /maxTotalBytes limit/,
  },
  {
    title: 'an entry holding more than it declares',
    archive: zip(() => [{ name: 'pkg/liar.bin', content: Buffer.alloc(100_000, 1), declaredSize: 10 }]),
    message: /too many bytes|more bytes than the 10 its header declares/,
  },
  { title: 'a wrong CRC-32', archive: zip(() => [{ name: 'pkg/a.txt', content: 'hello', crc: 12345 }]), message: /entry "pkg\/a\.txt" is corrupt: its CRC-32/ },
  { title: 'an encrypted entry', archive: zip(() => [{ name: 'pkg/a.txt', content: 'hello', flags: 1 }]), message: /is encrypted/ },
  { title: 'an unknown compression method', archive: zip(() => [{ name: 'pkg/a.txt', content: 'hello', method: 12 }]), message: /compression method 12/ },
  {
    title: 'more entries than allowed',
    archive: zip(() => ['a', 'b', 'c', 'd'].map((n) => ({ name: `pkg/${n}.txt`, content: n }))),
    limits: { maxEntries: 3 },
    message: /declares 4 entries, more than 3/,
  },
  { title: 'data that is not a zip', archive: () => deflateRawSync(Buffer.from('not a zip')), message: /is not a valid zip archive/ },
  { title: 'a truncated download', archive: () => buildZip([{ name: 'pkg/a.bin', content: randomBytes(100_000) }]).subarray(0, 50_000), message: /is not a valid zip archive/ },
  { title: 'an archive without files', archive: zip(() => [{ name: 'pkg/' }]), message: /it holds no file under "pkg\/"/ },
];

for (const [format, cases] of [['tar.gz', TAR_CASES], ['zip', ZIP_CASES]] as const) {
  describe(`unpackPackage refuses unsafe ${format} archives`, () => {
    let root: string;
    let targetDir: string;

    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'hfit-unsafe-'));
      // Deep enough that any ".." of the corpus still lands inside `root`, where the snapshot sees it.
      targetDir = path.join(root, 'l1', 'l2', 'l3', 'l4', 'target');
      await mkdir(path.join(targetDir, 'pkg', 'data'), { recursive: true });
      await writeFile(path.join(targetDir, 'pkg', 'data', 'old.sql'), 'previous package\n');
      await writeFile(path.join(root, 'secret.txt'), 'secret\n');
      await mkdir(path.join(root, 'escape-dir'));
    });

    afterEach(async () => {
      await rm(root, { recursive: true, force: true });
    });

    for (const c of cases) {
      it(c.title, async () => {
        const archiveFile = path.join(root, `archive.${format}`);
        await writeFile(archiveFile, await c.archive(root));
        const before = await treeSnapshot(root);
        const e = await unpackPackage(archiveFile, { format, targetDir, packageName: c.packageName ?? 'pkg', ...c.limits }).then(
          () => undefined,
          (err: unknown) => err,
        );
        if (!isHfitError(e)) throw e ?? new Error('the archive was unpacked');
        expect((e as HfitError).code).to.equal('ARCHIVE_UNSAFE');
        expect(e.message).to.match(c.message).and.include(`archive.${format}`).and.match(/Nothing was unpacked/);
        // Nothing was written anywhere, the staging folder is gone, the old package is intact.
        expect(await treeSnapshot(root)).to.deep.equal(before);
      });
    }
  });
}
