import { expect } from 'chai';
import { isHfitError } from '@hfit/contracts';
import { generateLoginKeyPair } from '../testing/login-key-pair.js';
import { configAdminsOf } from './config-admins.js';

describe('configAdminsOf', () => {
  it('parses every key, and reports every unusable one at once with its config field', () => {
    const good = generateLoginKeyPair('ed25519');
    expect(configAdminsOf([{ user: 'root', keys: [good.authorizedKey, good.pem] }])[0]!.keys.map((k) => k.fingerprint)).to.deep.equal([good.fingerprint, good.fingerprint]);
    try {
      configAdminsOf([
        { user: 'a', keys: [good.authorizedKey, 'nonsense'] },
        { user: 'b', keys: ['ssh-dss AAAAB3NzaC1kc3M='] },
      ]);
      expect.fail('accepted');
    } catch (err) {
      expect(isHfitError(err, 'CONFIG_INVALID')).to.equal(true);
      expect((err as { details: { field: string }[] }).details.map((d) => d.field)).to.deep.equal(['auth.admins[0].keys[1]', 'auth.admins[1].keys[0]']);
    }
  });
});
