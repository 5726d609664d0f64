import { createServer } from 'node:net';
import { expect } from 'chai';
import { ApiUnreachableError } from './api-unreachable-error.js';
import { HttpTransport, segment } from './http-transport.js';

describe('HttpTransport', () => {
  it('resolves paths under the base URL, keeping a path prefix, and repeats array query values', () => {
    const t = new HttpTransport({ baseUrl: 'https://api.example:8443/hfit?x=1#y' });
    expect(t.baseUrl.href).to.equal('https://api.example:8443/hfit/');
    expect(t.url('/v1/builds', { arg: ['1', 'a b'], limit: 5, skip: undefined }).href).to.equal('https://api.example:8443/hfit/v1/builds?arg=1&arg=a+b&limit=5');
    expect(new HttpTransport({ baseUrl: new URL('http://127.0.0.1:8080') }).url('healthz').href).to.equal('http://127.0.0.1:8080/healthz');
  });

  it('encodes a path segment so the server sees exactly the value, and refuses . and ..', () => {
    const t = new HttpTransport({ baseUrl: 'http://127.0.0.1:8080' });
    expect(t.url(`/v1/sources/${segment('a b/c?d#e%f')}/databases`).pathname).to.equal('/v1/sources/a%20b%2Fc%3Fd%23e%25f/databases');
    expect(decodeURIComponent(segment('rechnung €1.txt'))).to.equal('rechnung €1.txt');
    expect(t.url('/v1/volumes/v/files', { filter: ['name:a b+c.txt', 'size:>1k'] }).search).to.equal('?filter=name%3Aa+b%2Bc.txt&filter=size%3A%3E1k');
    expect(() => segment('..')).to.throw(TypeError, /cannot be sent as a URL path segment/);
    expect(() => segment('.')).to.throw(TypeError);
    expect(segment('...')).to.equal('...');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new HttpTransport({ baseUrl: 'ftp://x' })).to.throw(TypeError, /http:\/\/ or https:\/\//);
  });

  it('reports an API that does not answer as ApiUnreachableError, without the token', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const t = new HttpTransport({ baseUrl: `http://127.0.0.1:${port}`, token: 'secret-token-0123456789' });
    const e = await t.send({ path: '/healthz' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(ApiUnreachableError);
    expect((e as Error).message).to.match(new RegExp(`^Cannot reach the hfit API at http://127\\.0\\.0\\.1:${port} \\(GET /healthz\\): .*ECONNREFUSED`));
    expect((e as Error).message).not.to.include('secret-token');
  });

  it("rethrows the caller's abort as is", async () => {
    const t = new HttpTransport({ baseUrl: 'http://127.0.0.1:1' });
    const abort = new AbortController();
    abort.abort(new Error('stop now'));
    const e = await t.send({ path: '/healthz', signal: abort.signal }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as Error).message).to.equal('stop now');
  });
});
