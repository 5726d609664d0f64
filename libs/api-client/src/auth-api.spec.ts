import { expect } from 'chai';
import { createApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import { startRecordingServer, type RecordingServer } from './testing/recording-server.js';

const EXPIRES = '2030-01-01T00:00:00.000Z';

function problem(status: number, code: string, detail: string) {
  return { type: `https://hfit.dev/problems/${code}`, title: code, status, detail, code };
}

describe('AuthApi: challenge, token, logout, jwks', () => {
  let server: RecordingServer;

  beforeEach(async () => {
    server = await startRecordingServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('asks for a challenge and trades the signature for a token, without a bearer token', async () => {
    server.reply = (r) =>
      r.path.endsWith('/v1/auth/challenge')
        ? { status: 200, json: { challenge: 'hfit-login-v1:hfit:alice:abc', expiresAt: EXPIRES } }
        : { status: 200, json: { token: 'jwt.a.b', tokenType: 'Bearer', expiresAt: EXPIRES, expiresIn: 3600, user: 'alice' } };
    const client = createApiClient({ baseUrl: `${server.url}/prefix`, userAgent: 'hfit-cli/test' });
    const challenge = await client.auth.challenge('alice');
    expect(challenge).to.deep.equal({ challenge: 'hfit-login-v1:hfit:alice:abc', expiresAt: EXPIRES });
    const token = await client.auth.token({ username: 'alice', challenge: challenge.challenge, signature: 'c2ln' });
    expect(token).to.deep.include({ token: 'jwt.a.b', user: 'alice', expiresIn: 3600 });
    expect(server.requests.map((r) => [r.method, r.path, r.json])).to.deep.equal([
      ['POST', '/prefix/v1/auth/challenge', { username: 'alice' }],
      ['POST', '/prefix/v1/auth/token', { username: 'alice', challenge: 'hfit-login-v1:hfit:alice:abc', signature: 'c2ln' }],
    ]);
    for (const r of server.requests) {
      expect(r.headers['authorization']).to.equal(undefined);
      expect(r.headers['content-type']).to.equal('application/json');
      expect(r.headers['user-agent']).to.equal('hfit-cli/test');
    }
  });

  it('reports a refused login as ApiError 401 and a rate limit with its Retry-After seconds', async () => {
    const client = createApiClient({ baseUrl: server.url });
    server.reply = () => ({ status: 401, json: problem(401, 'UNAUTHENTICATED', 'login refused') });
    const refused = await client.auth.token({ username: 'alice', challenge: 'c', signature: 's' }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(ApiError).and.to.include({ status: 401, code: 'UNAUTHENTICATED', retryAfterSeconds: undefined });
    server.reply = () => ({ status: 429, headers: { 'Retry-After': '17' }, json: problem(429, 'RATE_LIMITED', 'too many login attempts') });
    const limited = await client.auth.challenge('alice').catch((e: unknown) => e);
    expect(limited).to.be.instanceOf(ApiError).and.to.include({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 17 });
    server.reply = () => ({ status: 429, headers: { 'Retry-After': '5', 'Content-Type': 'text/plain' } });
    const bare = await client.auth.challenge('alice').catch((e: unknown) => e);
    expect(bare).to.include({ code: 'RATE_LIMITED', retryAfterSeconds: 5, fromProblemBody: false });
  });

  it('logs out with the bearer token (204) and reads the JWKS', async () => {
    const client = createApiClient({ baseUrl: server.url, token: 'jwt.x.y' });
    server.reply = (r) => (r.path === '/v1/auth/logout' ? { status: 204 } : { status: 200, json: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1', alg: 'EdDSA', use: 'sig' }] } });
    await client.auth.logout();
    const jwks = await client.auth.jwks();
    expect(jwks.keys[0]).to.deep.include({ kid: 'k1', alg: 'EdDSA' });
    expect(server.requests.map((r) => [r.method, r.path, r.headers['authorization']])).to.deep.equal([
      ['POST', '/v1/auth/logout', 'Bearer jwt.x.y'],
      ['GET', '/.well-known/jwks.json', 'Bearer jwt.x.y'],
    ]);
    server.reply = () => ({ status: 200, json: {} });
    expect(await client.auth.logout().catch((e: unknown) => (e as Error).name)).to.equal('ApiResponseInvalidError');
  });
});
