import { expect } from 'chai';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';
import { generateLoginKeyPair } from '../testing/login-key-pair.js';

describe('SecurityStore (documents in storage, version in Redis)', () => {
  let fx: SecurityFixture;
  afterEach(async () => {
    await fx?.dispose();
  });

  it('shows a change made through one replica on another at once, and reloads only when the version moved', async () => {
    fx = await createSecurityFixture({ auth: { roles: { dev: { actions: ['browse'] } } } });
    const other = fx.replica();
    expect(await other.users.list()).to.deep.equal([]);
    await fx.security.users.create({ name: 'ann', roles: ['dev'], grants: [], keys: [] }, 'test');
    expect((await other.users.list()).map((u) => u.name)).to.deep.equal(['ann']);
    const first = await other.store.read();
    expect(await other.store.read(), 'same version: the cached state').to.equal(first);
    await fx.security.users.update('ann', { roles: [] });
    expect(await other.store.read()).to.not.equal(first);
    expect((await other.users.get('ann')).roles).to.deep.equal([]);
  });

  it('loses no change when replicas write at the same time (the write lock serialises them)', async () => {
    fx = await createSecurityFixture();
    const replicas = [fx.security, fx.replica(), fx.replica()];
    await Promise.all(Array.from({ length: 24 }, (_, i) => replicas[i % 3]!.users.create({ name: `u${i}`, roles: [], grants: [], keys: [] }, 'test')));
    const names = (await fx.replica().users.list()).map((u) => u.name).sort();
    expect(names).to.deep.equal(Array.from({ length: 24 }, (_, i) => `u${i}`).sort());
  });

  it('creates exactly one signing key when several replicas start at once', async () => {
    fx = await createSecurityFixture();
    const replicas = Array.from({ length: 5 }, () => fx.replica());
    const views = await Promise.all(replicas.map((r) => r.signingKeys.ensure()));
    expect(new Set(views.map((v) => v.kid)).size).to.equal(1);
    expect((await fx.security.store.read()).signingKeys).to.have.length(1);
  });

  it('keeps everything when Redis loses its keys, and a replica that cached before the loss still sees later changes', async () => {
    fx = await createSecurityFixture();
    const other = fx.replica();
    const key = generateLoginKeyPair('ed25519');
    // One write before the loss and one after: a counter restarting from 0 would show `other` the
    // version it cached (1) again, and it would miss "lee".
    await fx.security.users.create({ name: 'kim', roles: [], grants: [], keys: [key.authorizedKey] }, 'test');
    expect((await other.users.list()).map((u) => u.name)).to.deep.equal(['kim']);
    await fx.flushRedis();
    await fx.security.users.create({ name: 'lee', roles: [], grants: [], keys: [] }, 'test');
    expect((await other.users.list()).map((u) => u.name)).to.deep.equal(['kim', 'lee']);
    expect((await other.users.loginKeys('kim'))!.map((k) => k.fingerprint)).to.deep.equal([key.fingerprint]);
    const kid = (await fx.security.signingKeys.ensure()).kid;
    await fx.flushRedis();
    expect((await fx.replica().signingKeys.list()).map((k) => k.kid)).to.deep.equal([kid]);
  });

  it('keeps the documents as JSON under security/ in the object store, with no secret of a CI token', async () => {
    fx = await createSecurityFixture({ auth: { roles: { ci: { actions: ['build'] } } } });
    const created = await fx.security.ciTokens.create({ name: 'build', role: 'ci' }, 'test');
    const keys: string[] = [];
    for await (const o of fx.objects.list('security/')) keys.push(o.key);
    expect(keys.sort()).to.deep.equal(['security/ci-tokens.json']);
    const chunks: Buffer[] = [];
    for await (const chunk of (await fx.objects.get('security/ci-tokens.json')).body) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    expect(JSON.parse(text)).to.have.nested.property('items[0].sha256').that.matches(/^[0-9a-f]{64}$/);
    expect(text).to.not.include(created.token.slice(-43));
  });

  it('refuses to work on a corrupt document instead of treating it as empty', async () => {
    fx = await createSecurityFixture();
    await fx.objects.publish('security/users.json', Buffer.from('{"format":1,"items":[{"name":1}]}'));
    let error: unknown;
    await fx.security.users.list().catch((e: unknown) => (error = e));
    expect(String(error)).to.include('security/users.json is corrupt');
  });
});
