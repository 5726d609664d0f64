import { expect } from 'chai';
import { thrownHfitError } from '@hfit/contracts/testing';
import { parseImportTarget } from './parse-import-target.js';

describe('parseImportTarget', () => {
  it('parses MySQL and PostgreSQL URLs, with default ports and %-decoding', () => {
    expect(parseImportTarget('mysql://root@127.0.0.1/shop')).to.deep.equal({
      dialect: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'shop', display: 'mysql://root@127.0.0.1/shop',
    });
    expect(parseImportTarget('postgresql://me:p%40ss@[::1]:6543/my%20db')).to.deep.equal({
      dialect: 'postgres', host: '::1', port: 6543, user: 'me', password: 'p@ss', database: 'my db', display: 'postgresql://me:***@[::1]:6543/my%20db',
    });
    expect(parseImportTarget('postgres://u@h/d').port).to.equal(5432);
  });

  it('refuses what it cannot use, naming the problem and never the password', () => {
    const cases: [string, RegExp][] = [
      ['not a url', /is not a URL/],
      ['redis://u:sekret@h/d', /scheme "redis"/],
      ['mysql://u:sekret@h/d?ssl=1', /query string/],
      ['mysql://:sekret@h/d', /names no user/],
      ['postgres://u:sekret@h', /names no database/],
      ['postgres://u:sekret@h/a/b', /more than one path segment/],
      ['mysql://u:sekret@h/a.b', /does not allow/],
      [`postgres://u:sekret@h/${'x'.repeat(64)}`, /longer than 63 bytes/],
      ['mysql://u:sekret@h/%zz', /invalid %-escape/],
    ];
    for (const [url, message] of cases) {
      const e = thrownHfitError(() => parseImportTarget(url));
      expect(e.code, url).to.equal('IMPORT_TARGET_INVALID');
      expect(e.message, url).to.match(message);
      expect(e.message, url).not.to.include('sekret');
    }
  });
});
