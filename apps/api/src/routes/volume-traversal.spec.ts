import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GrantInput } from '@hfit/contracts';
import { expect } from 'chai';
import { createParkedFifo, type ParkedFifo } from '../testing/parked-fifo.js';
import { startPlatformApp, type PlatformApp } from '../testing/platform-app.js';
import { rawRequest, type RawResponse } from '../testing/raw-request.js';

const INSIDE = 'Invoice for order 1\n';

/**
 * Requests that try to leave the volume root, raw (no client-side URL normalisation): `..`,
 * absolute paths, percent- and double-encoding, overlong UTF-8, backslashes, NUL, symlinks to a
 * file, a pipe and a folder outside the root, and symlink loops; on the download, "best file" and
 * listing endpoints.
 */
function corpus(outside: string): [method: 'GET' | 'HEAD', rawPath: string][] {
  const file = (p: string) => `/v1/volumes/invoices/file?path=${p}`;
  const paths = [
    '../outside/canary.txt',
    '../outside/canary.fifo',
    '..%2Foutside%2Fcanary.txt',
    '%2e%2e%2foutside%2fcanary.txt',
    '%2E%2E/outside/canary.fifo',
    '%252e%252e%252foutside%252fcanary.txt',
    '%25252e%25252e%25252f',
    '.%2e/outside/canary.txt',
    '....//outside/canary.txt',
    '%c0%ae%c0%ae/outside/canary.txt',
    'sub/../../outside/canary.txt',
    'sub/deep/../../../outside/canary.fifo',
    '/etc/passwd',
    '%2Fetc%2Fpasswd',
    encodeURIComponent(path.join(outside, 'canary.txt')),
    encodeURIComponent(path.join(outside, 'canary.fifo')),
    '..%5Coutside%5Ccanary.txt',
    '..%5C..%5Coutside%5Ccanary.fifo',
    'invoice_1.txt%00../../outside/canary.txt',
    '%00',
    'link-file',
    'link-fifo',
    'link-dir/canary.txt',
    'link-dir/canary.fifo',
    'sub/../link-file',
    './link-fifo',
    'loop-a',
    'loop-self',
    'loop-dir/x',
    'file:///etc/passwd',
  ];
  const out: [method: 'GET' | 'HEAD', rawPath: string][] = [];
  for (const p of paths) out.push(['GET', file(p)], ['HEAD', file(p)]);
  for (const folder of ['..', '../outside', 'link-dir', 'link-dir/', 'loop-dir', '%2e%2e', 'sub/../../outside', '%2Ftmp'])
    out.push(['GET', `/v1/volumes/invoices/best?filter=path:${folder}`], ['GET', `/v1/volumes/invoices/files?filter=path:${folder}`]);
  out.push(
    ['GET', '/v1/volumes/invoices/best?filter=name:link-*'],
    ['GET', '/v1/volumes/invoices/best?filter=name:canary*'],
    ['GET', '/v1/volumes/..%2F..%2Foutside/file?path=canary.txt'],
    ['GET', '/v1/volumes/%2e%2e/file?path=outside/canary.txt'],
    ['GET', '/v1/volumes/invoices%2F..%2F..%2Foutside/file?path=canary.txt'],
    ['GET', '/v1/volumes/invoices/../../outside/file?path=canary.txt'],
    ['GET', '/v1/volumes/invoices%00/file?path=invoice_1.txt'],
  );
  return out;
}

describe('volume confinement over HTTP: traversal corpus and a symlink swapped under the requests', function () {
  this.timeout(120_000);
  let p: PlatformApp;
  let outside: string;
  let fifo: ParkedFifo;
  const canary = `CANARY-${randomUUID()}`;
  const parked = randomBytes(8192);
  /** Grants bob the invoices and the swapped link only. */
  const bobGrant: GrantInput = { actions: ['browse', 'files'], volumes: ['invoices:invoice_*.txt', 'invoices:swap', 'invoices:link-*', 'invoices:loop-*'] };

  before(async () => {
    p = await startPlatformApp({ fixture: { orders: 3, roles: { confined: bobGrant }, users: { bob: ['confined'] } } });
    const root = p.fixture.volumeRoot;
    outside = path.join(p.fixture.dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'canary.txt'), canary);
    fifo = createParkedFifo(path.join(outside, 'canary.fifo'), parked);
    await mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
    await symlink('../outside/canary.txt', path.join(root, 'link-file'));
    await symlink('../outside/canary.fifo', path.join(root, 'link-fifo'));
    await symlink(outside, path.join(root, 'link-dir'));
    await symlink('loop-b', path.join(root, 'loop-a'));
    await symlink('loop-a', path.join(root, 'loop-b'));
    await symlink('loop-self', path.join(root, 'loop-self'));
    await symlink('loop-dir', path.join(root, 'loop-dir'));
    await symlink('invoice_1.txt', path.join(root, 'swap'));
  });
  after(async () => {
    fifo?.close();
    await p?.close();
  });

  /** The answer must be a refusal, or exactly the inside file; never a byte of the canary. */
  function check(res: RawResponse, what: string, insideAllowed: boolean): 'inside' | 'refused' {
    const text = res.body.toString('latin1');
    expect(text, what).not.to.contain(canary);
    expect(res.body.includes(parked.subarray(0, 64)), what).to.equal(false);
    if (res.status === 200 && insideAllowed) {
      if (res.body.length > 0) expect(text, what).to.equal(INSIDE);
      return 'inside';
    }
    expect(res.status, `${what}: ${res.status} ${text.slice(0, 200)}`).to.be.within(400, 499);
    return 'refused';
  }

  for (const user of ['alice', 'bob'] as const) {
    it(`refuses every traversal attempt (${user === 'alice' ? 'grant on everything' : 'narrow grant'}): 4xx, no byte from outside`, async () => {
      const auth = { Authorization: `Bearer ${p.tokens[user]!}` };
      const statuses = new Map<number, number>();
      for (const [method, rawPath] of corpus(outside)) {
        const res = await rawRequest(p.app.url, method, rawPath, auth);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        // A listing of an allowed folder may answer 200; it still lists nothing from outside.
        const listing = rawPath.includes('/files?');
        if (listing && res.status === 200) {
          expect(res.body.toString('latin1')).not.to.match(/canary|outside/);
          continue;
        }
        check(res, `${user} ${method} ${rawPath}`, false);
        if (method === 'HEAD') expect(res.body.length).to.equal(0);
      }
      expect(statuses.get(200) ?? 0, 'no download succeeded').to.equal(0);
      // Not vacuous: the inside file is served, and the links really lead to the canaries.
      check(await rawRequest(p.app.url, 'GET', '/v1/volumes/invoices/file?path=invoice_1.txt', auth), 'inside file', true);
      expect(fifo.parked).to.equal(parked.length);
    });
  }

  it('never reads outside while a symlink is swapped between a file inside and the canaries outside (a few hundred requests)', async () => {
    const root = p.fixture.volumeRoot;
    const targets = ['invoice_1.txt', '../outside/canary.txt', '../outside/canary.fifo', 'link-dir/canary.txt', 'invoice_1.txt'];
    let swapping = true;
    let swaps = 0;
    const swapper = (async () => {
      for (let i = 0; swapping; i++) {
        const tmp = path.join(root, `.swap-${i}`);
        await symlink(targets[i % targets.length]!, tmp);
        // rename() replaces the link atomically: every lookup sees one target or the other.
        await rename(tmp, path.join(root, 'swap'));
        swaps++;
        if (i % 8 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const counts = { inside: 0, refused: 0 };
    try {
      for (let round = 0; round < 40; round++) {
        const batch = await Promise.all(
          (['alice', 'bob'] as const).flatMap((user) => {
            const auth = { Authorization: `Bearer ${p.tokens[user]!}` };
            return [
              rawRequest(p.app.url, 'GET', '/v1/volumes/invoices/file?path=swap', auth),
              rawRequest(p.app.url, 'GET', '/v1/volumes/invoices/file?path=./swap', auth),
              rawRequest(p.app.url, 'GET', '/v1/volumes/invoices/best?filter=name:swap', auth),
              rawRequest(p.app.url, 'HEAD', '/v1/volumes/invoices/file?path=swap', auth),
            ].map((r) => r.then((res) => ({ res, user })));
          }),
        );
        for (const { res, user } of batch) counts[check(res, `${user} swap round ${round}`, true)]++;
      }
    } finally {
      swapping = false;
      await swapper;
      await rm(path.join(root, 'swap'), { force: true });
    }
    expect(counts.inside + counts.refused).to.equal(320);
    // Both outcomes happened: the race was real.
    expect(counts.inside, JSON.stringify(counts)).to.be.above(0);
    expect(counts.refused, JSON.stringify(counts)).to.be.above(0);
    expect(swaps).to.be.above(100);
    // 0 bytes read outside: every parked byte is still in the pipe.
    const left = fifo.remaining();
    expect(left.length).to.equal(parked.length);
    expect(left.equals(parked)).to.equal(true);
  });
});
