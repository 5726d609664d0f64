import { createLogger } from '@hfit/logger';
import { deleteKeysWithPrefix } from '@hfit/queue/testing';
import { expect } from 'chai';
import { newBuildId } from './build-id.js';
import type { BuildRecord, StoredBuildRecord } from './build-record.js';
import { applyRetention, cleanupStaging, rebuildCatalogue } from './maintenance.js';
import { artifactKey, recordKey } from './storage-keys.js';
import { createPlatformFixture, type PlatformFixture } from './testing/platform-fixture.js';

const quiet = createLogger({ name: 'test', level: 'silent' });
const DAY = 86_400_000;

describe('maintenance: catalogue rebuild, retention, staging cleanup', function () {
  this.timeout(60_000);
  let fx: PlatformFixture;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 5 });
  });
  afterEach(async () => {
    await fx?.dispose();
  });

  function record(id: string, pkg = 'order_7'): BuildRecord {
    const at = new Date(parseInt(id.slice(0, 9), 36)).toISOString();
    return {
      id,
      state: 'succeeded',
      templateName: 'order_incident',
      packageName: pkg,
      owner: 'alice',
      args: ['7'],
      namedArgs: {},
      inputs: ['7'],
      options: { format: 'tar.gz', consistency: 'source' },
      templateText: fx.template,
      createdAt: at,
      startedAt: at,
      finishedAt: at,
      exportKeys: ['a.sql'],
      exportTypes: { 'a.sql': 'table-data' },
      artifact: { name: `${pkg}.tar.gz`, size: 4, sha256: 'a'.repeat(64), format: 'tar.gz', key: artifactKey(pkg, id, 'tar.gz') },
    };
  }

  /** Publishes a build the way the runner does: archive, then its record beside it, then Redis. */
  async function publish(id: string, pkg = 'order_7', inRedis = true): Promise<BuildRecord> {
    const rec = record(id, pkg);
    await fx.objects.publish(rec.artifact!.key, Buffer.from('data'));
    const stored: StoredBuildRecord = {
      recordVersion: 1,
      build: rec,
      manifest: {
        manifestVersion: 1,
        hfitVersion: 1,
        templateName: rec.templateName,
        packageName: pkg,
        templateText: rec.templateText,
        inputs: rec.inputs,
        variables: [],
        sources: [],
        files: [],
        totals: { files: 0, bytes: 0, rows: 0 },
      },
      progress: [{ name: 'a.sql', type: 'table-data', rows: 3, bytes: 10, durationMs: 5 }],
    };
    await fx.objects.publish(recordKey(pkg, id), Buffer.from(JSON.stringify(stored)));
    if (inRedis) await fx.store.create(rec);
    return rec;
  }

  async function keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const o of fx.objects.list(prefix)) out.push(o.key);
    return out;
  }

  it('rebuilds the live catalogue from the records in storage after Redis lost everything', async () => {
    const a = await publish(newBuildId(new Date(Date.now() - 2000)));
    const b = await publish(newBuildId(), 'order_8');
    await deleteKeysWithPrefix(fx.redis, fx.prefix);
    expect(await fx.store.get(a.id)).to.equal(undefined);
    expect(await rebuildCatalogue(fx.store, fx.objects, quiet)).to.deep.equal({ scanned: 2, restored: 2, active: { counted: 0, dropped: 0 } });
    const alice = { user: 'alice' };
    expect((await fx.service.get(alice, a.id)).state).to.equal('succeeded');
    expect((await fx.service.get(alice, a.id)).progress.exports).to.deep.equal([{ name: 'a.sql', type: 'table-data', state: 'done', rows: 3, bytes: 10, durationMs: 5 }]);
    expect((await fx.service.latest(alice, 'order_8')).id).to.equal(b.id);
    expect((await fx.service.latest(alice, 'order_incident')).id).to.equal(b.id);
    const opened = await fx.service.openArtifact(alice, a.id);
    opened.object.body.destroy();
    expect(opened.object.size).to.equal(4);
    expect((await fx.service.list(alice, { limit: 10 })).items.map((i) => i.id)).to.deep.equal([b.id, a.id]);
    // A second run finds everything present.
    expect(await rebuildCatalogue(fx.store, fx.objects, quiet)).to.deep.equal({ scanned: 2, restored: 0, active: { counted: 0, dropped: 0 } });
  });

  it('recounts each user\'s queued and running builds: ended or vanished ones out, uncounted live ones in', async () => {
    const live = (id: string, state: 'queued' | 'running', owner = 'alice'): BuildRecord => {
      const { finishedAt: _f, artifact: _a, packageName: _p, ...rest } = record(id);
      return { ...rest, state, owner };
    };
    const q = live(newBuildId(), 'queued');
    const r = live(newBuildId(), 'running');
    const b = live(newBuildId(), 'queued', 'bob');
    for (const rec of [q, r, b]) await fx.store.create(rec, { maxActive: 10 });
    expect(await fx.store.activeIds('alice')).to.deep.equal([q.id, r.id].sort());
    // A build that ends leaves the count in the same step.
    await fx.store.update(r.id, (x) => ({ ...x, state: 'failed', finishedAt: new Date().toISOString() }));
    expect(await fx.store.activeIds('alice')).to.deep.equal([q.id]);
    // Counts gone wrong (an old Redis copy restored, a hand edit): one live build lost, a stale one added.
    const activeKey = (owner: string) => `${fx.prefix}:b:active:${owner}`;
    await fx.redis.srem(activeKey('alice'), q.id);
    await fx.redis.sadd(activeKey('alice'), r.id, 'gone-build-id');
    await fx.redis.srem(activeKey('bob'), b.id);
    const { active } = await rebuildCatalogue(fx.store, fx.objects, quiet);
    expect(active).to.deep.equal({ counted: 2, dropped: 2 });
    expect(await fx.store.activeIds('alice')).to.deep.equal([q.id]);
    expect(await fx.store.activeIds('bob')).to.deep.equal([b.id]);
    expect((await rebuildCatalogue(fx.store, fx.objects, quiet)).active).to.deep.equal({ counted: 0, dropped: 0 });
  });

  it('restores a record whose archive is gone as removed, not downloadable', async () => {
    const a = await publish(newBuildId(), 'order_7', false);
    await fx.objects.delete(a.artifact!.key);
    await rebuildCatalogue(fx.store, fx.objects, quiet);
    const view = await fx.service.get({ user: 'alice' }, a.id);
    expect(view.artifact).to.equal(undefined);
    expect(view.links.artifact).to.equal(undefined);
  });

  it('keeps the newest keepLast builds per package and removes older ones, archive first', async () => {
    const now = Date.now();
    const ids = [3, 2, 1].map((s) => newBuildId(new Date(now - s * 1000)));
    for (const id of ids) await publish(id);
    const other = await publish(newBuildId(new Date(now - 5000)), 'order_9');
    const { removed } = await applyRetention(fx.store, fx.objects, { keepLast: 1 });
    expect(removed.sort()).to.deep.equal([ids[0], ids[1]].sort());
    expect((await keys('packages/order_7/')).sort()).to.deep.equal([artifactKey('order_7', ids[2]!, 'tar.gz'), recordKey('order_7', ids[2]!)].sort());
    expect(await keys('packages/order_9/')).to.have.length(2);
    const err = await fx.service.openArtifact({ user: 'alice' }, ids[0]!).then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );
    expect(err?.code).to.equal('ARTIFACT_MISSING');
    expect((await fx.service.latest({ user: 'alice' }, 'order_7')).id).to.equal(ids[2]);
    expect((await fx.service.get({ user: 'alice' }, other.id)).artifact).to.not.equal(undefined);
  });

  it('removes builds older than maxAgeDays, and nothing without rules', async () => {
    const old = await publish(newBuildId(new Date(Date.now() - 10 * DAY)));
    const fresh = await publish(newBuildId(new Date(Date.now() - 1 * DAY)));
    expect((await applyRetention(fx.store, fx.objects, {})).removed).to.deep.equal([]);
    expect((await applyRetention(fx.store, fx.objects, { maxAgeDays: 7 })).removed).to.deep.equal([old.id]);
    expect(await keys('packages/')).to.have.length(2);
    expect((await fx.service.latest({ user: 'alice' }, 'order_7')).id).to.equal(fresh.id);
  });

  it('removes the staging data of ended and of long-unknown builds, keeps that of running ones', async () => {
    const ended = await publish(newBuildId());
    const running = { ...record(newBuildId()), state: 'running' as const };
    await fx.store.create(running);
    const unknownOld = newBuildId(new Date(Date.now() - 3 * DAY));
    const unknownNew = newBuildId();
    for (const id of [ended.id, running.id, unknownOld, unknownNew]) await fx.objects.put(`staging/${id}/0/a.sql`, Buffer.from('x'));
    const r = await cleanupStaging(fx.store, fx.objects, DAY);
    expect(r).to.include({ builds: 2, objects: 2 });
    expect((await keys('staging/')).sort()).to.deep.equal([`staging/${running.id}/0/a.sql`, `staging/${unknownNew}/0/a.sql`].sort());
  });
});
