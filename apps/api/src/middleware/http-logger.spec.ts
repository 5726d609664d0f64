import { expect } from 'chai';
import { TEST_TOKENS, startTestApp, type TestApp } from '../testing/start-test-app.js';
import { loggableUrl } from './http-logger.js';

describe('request logging', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('logs one line per request with its request id, method, URL, status and user', async () => {
    const res = await app.fetch('/v1/whoami', { headers: { 'X-Request-Id': 'log-test-1' } });
    expect(res.status).to.equal(200);
    const line = app.logs.records().find((r) => r['requestId'] === 'log-test-1');
    expect(line).to.deep.include({ msg: 'request completed', user: 'alice', req: { method: 'GET', url: '/v1/whoami', remoteAddress: '127.0.0.1', userAgent: 'node' }, res: { statusCode: 200 } });
  });

  it('never writes a token to the log: not from headers, not from the URL', async () => {
    const wrong = 'wrong-token-looking-secret-0123';
    await app.fetch('/v1/whoami');
    await app.fetch('/v1/whoami', { token: TEST_TOKENS.bob, headers: { Cookie: 'session=cookie-secret-42' } });
    await app.fetch('/v1/whoami', { token: wrong });
    await app.fetch(`/v1/whoami?access_token=${TEST_TOKENS.alice}`, { token: null });
    await app.fetch(`/v1/builds?cursor=x&token=${TEST_TOKENS.bob}`);
    const text = app.logs.text();
    expect(app.logs.records().length).to.be.at.least(5);
    for (const secret of [TEST_TOKENS.alice, TEST_TOKENS.bob, wrong, 'cookie-secret-42', 'Bearer']) expect(text, secret).not.to.include(secret);
    expect(text).to.include('/v1/whoami?access_token=***');
  });

  it('masks secret-looking query values in logged URLs', () => {
    expect(loggableUrl('/v1/x?a=1&access_token=abc&TOKEN=def&password=p%20w#frag')).to.equal('/v1/x?a=1&access_token=***&TOKEN=***&password=***#frag');
    expect(loggableUrl('/v1/x?tokens=1')).to.equal('/v1/x?tokens=1');
  });
});
