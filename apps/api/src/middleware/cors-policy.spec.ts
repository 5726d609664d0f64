import { expect } from 'chai';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import { testServerConfig } from '../testing/test-server-config.js';

const UI = 'https://ui.example.test';

/** Names of the CORS headers of an answer. */
function corsHeaders(res: Response): string[] {
  return [...res.headers.keys()].filter((h) => h.startsWith('access-control-')).sort();
}

describe('CORS', () => {
  const apps: TestApp[] = [];
  const start = async (corsOrigins: string[]) => {
    const app = await startTestApp({ config: testServerConfig({ corsOrigins }) });
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('is closed by default: no Access-Control-* headers for any origin, preflight included', async () => {
    const app = await start([]);
    const res = await app.fetch('/v1/whoami', { headers: { Origin: UI } });
    expect(res.status).to.equal(200);
    expect(corsHeaders(res)).to.deep.equal([]);
    const preflight = await app.fetch('/v1/builds', { method: 'OPTIONS', token: null, headers: { Origin: UI, 'Access-Control-Request-Method': 'POST' } });
    expect(corsHeaders(preflight)).to.deep.equal([]);
  });

  it('answers a configured origin (requests and preflight), and nothing to another one', async () => {
    const app = await start([`${UI}/`, 'https://other.example.test']);
    const res = await app.fetch('/v1/whoami', { headers: { Origin: UI } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal(UI);
    expect(res.headers.get('access-control-expose-headers')).to.include('X-Request-Id').and.include('Retry-After');
    expect(res.headers.get('access-control-allow-credentials')).to.equal(null);
    expect(res.headers.get('vary')).to.match(/Origin/);

    const preflight = await app.fetch('/v1/builds', {
      method: 'OPTIONS',
      token: null,
      headers: { Origin: UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(UI);
    expect(preflight.headers.get('access-control-allow-methods')).to.include('POST');
    expect(preflight.headers.get('access-control-allow-headers')).to.equal('authorization,content-type,idempotency-key');
    expect(preflight.headers.get('access-control-max-age')).to.equal('600');

    const evil = await app.fetch('/v1/whoami', { headers: { Origin: 'https://evil.example.test' } });
    expect(evil.status).to.equal(200);
    expect(corsHeaders(evil)).to.deep.equal([]);
    expect(evil.headers.get('vary')).to.match(/Origin/);
    const evilPreflight = await app.fetch('/v1/builds', { method: 'OPTIONS', token: null, headers: { Origin: 'https://evil.example.test', 'Access-Control-Request-Method': 'POST' } });
    expect(corsHeaders(evilPreflight)).to.deep.equal([]);
    // Requests without an Origin (curl, the CLI) are unaffected.
    expect(corsHeaders(await app.fetch('/v1/whoami'))).to.deep.equal([]);
  });
});
