import { expect } from 'chai';
import { createSecurity } from '../create-security.js';
import { generateLoginKeyPair } from '../testing/login-key-pair.js';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';

describe('LoginService', () => {
  let fx: SecurityFixture;
  afterEach(async () => {
    await fx?.dispose();
  });

  it('logs in with a registered key, and makes every failure take at least minFailureMs whatever failed', async () => {
    fx = await createSecurityFixture();
    const security = createSecurity({ config: fx.config, redis: fx.redis, objects: fx.objects, logger: fx.logger, minLoginFailureMs: 80 });
    const key = generateLoginKeyPair('ecdsa-p521');
    await security.users.create({ name: 'pat', roles: [], grants: [], keys: [key.authorizedKey] }, 'test');
    const attacker = generateLoginKeyPair('ecdsa-p521');
    const attempt = async (username: string, signer = key) => {
      const { challenge } = await security.login.challenge(username);
      const t0 = performance.now();
      const outcome = await security.login.login({ username, challenge, signature: signer.sign(challenge) });
      return { outcome, ms: performance.now() - t0 };
    };
    const ok = await attempt('pat');
    expect(ok.outcome).to.deep.include({ ok: true, fingerprint: key.fingerprint });
    const failures = [await attempt('pat', attacker), await attempt('nobody', attacker), await attempt('nobody')];
    expect(failures.map((f) => f.outcome)).to.deep.equal([
      { ok: false, reason: 'signature' },
      { ok: false, reason: 'unknown-user' },
      { ok: false, reason: 'unknown-user' },
    ]);
    for (const f of failures) expect(f.ms).to.be.at.least(79);
  });
});
