import { expect } from 'chai';
import { parseLegacySettings } from './legacy-settings.js';

describe('parseLegacySettings: the original ~/.hfit/config', () => {
  it('reads key: value and key=value lines with the original key names, quoted or not, ignoring comments and unknown keys', () => {
    expect(parseLegacySettings('# hfit\nserver: "https://old.example:8443"\nemail = alice@example.com\nprivate_key_path: \'/home/a/.ssh/id_rsa\'\ncolour: blue\n')).to.deep.equal({
      server: 'https://old.example:8443',
      email: 'alice@example.com',
      privateKeyPath: '/home/a/.ssh/id_rsa',
    });
  });

  it('reads a JSON object, and never takes a token from the config file', () => {
    expect(parseLegacySettings('{"server": "http://h:1", "key_path": "/k", "token": "t"}')).to.deep.equal({ server: 'http://h:1', privateKeyPath: '/k' });
  });
});
