import { closeAll } from '@hfit/queue';
import { expect } from 'chai';
import { reply } from './routes/route-spec.js';
import type { RouteModule } from './routes/route-module.js';
import { startHttpServer } from './start-http-server.js';
import { startTestApp } from './testing/start-test-app.js';

/** A route that answers only when released, to hold a request in flight. */
function heldRoute(): { module: RouteModule; release: () => void; entered: Promise<void> } {
  let release!: () => void;
  let entered!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const enteredP = new Promise<void>((r) => (entered = r));
  const module: RouteModule = (registry) =>
    registry.add({
      method: 'get',
      path: '/v1/held',
      operationId: 'held',
      summary: 'Answers when the test releases it',
      auth: 'public',
      responses: { 200: { description: 'done', schema: undefined } },
      handle: async () => {
        entered();
        await released;
        return reply(200, undefined);
      },
    });
  return { module, release, entered: enteredP };
}

describe('startHttpServer', () => {
  it('listens on an ephemeral port, lets a request in flight finish on close, then refuses connections', async () => {
    const held = heldRoute();
    const app = await startTestApp({ routers: [held.module] });
    expect(app.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const inFlight = app.fetch('/v1/held');
    await held.entered;
    const closing = app.close();
    held.release();
    expect((await inFlight).status).to.equal(200);
    await closing;
    const after = await fetch(`${app.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(after).to.equal('refused');
  });

  it('drops connections still busy when closeAll forces it after its budget', async () => {
    // A server whose requests never get an answer.
    const server = await startHttpServer(() => undefined, { host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${server.url}/never`).then(
      (r) => r.status,
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const report = await closeAll([server.closable], { timeoutMs: 200, forceTimeoutMs: 2000 });
    expect(Date.now() - started).to.be.below(2000);
    expect(report.steps[0]).to.include({ outcome: 'timed-out', forced: 'closed' });
    expect(await inFlight).to.equal('cut');
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer((_req, res) => res.end(), { host: '127.0.0.1', port: 0 });
    const port = Number(new URL(first.url).port);
    const e = await startHttpServer((_req, res) => res.end(), { host: '127.0.0.1', port }).then(
      () => undefined,
      (x: unknown) => x as NodeJS.ErrnoException,
    );
    await first.closable.close();
    expect(e?.code).to.equal('EADDRINUSE');
  });
});
