import { expect } from 'chai';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';

/** The headers every answer carries, whatever the route or outcome. */
function expectHardened(res: Response): void {
  expect(res.headers.get('content-security-policy')).to.equal("default-src 'none';frame-ancestors 'none'");
  expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
  expect(res.headers.get('x-frame-options')).to.equal('DENY');
  expect(res.headers.get('strict-transport-security')).to.equal('max-age=31536000; includeSubDomains');
  expect(res.headers.get('x-powered-by')).to.equal(null);
}

describe('security headers (helmet)', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('are on a normal answer and on problem answers (401, 404, 400)', async () => {
    const ok = await app.fetch('/v1/whoami');
    expect(ok.status).to.equal(200);
    expectHardened(ok);
    const unauthenticated = await app.fetch('/v1/whoami', { token: null });
    expect(unauthenticated.status).to.equal(401);
    expectHardened(unauthenticated);
    const missing = await app.fetch('/v1/nowhere');
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expectHardened(missing);
    const invalid = await app.fetch('/v1/builds?limit=0');
    expect(invalid.status).to.equal(400);
    expectHardened(invalid);
    expectHardened(await app.fetch('/openapi.json', { token: null }));
  });
});
