import { expect } from 'chai';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import { ClientGoneError, clientGoneSignal } from './client-gone-signal.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** Signals of the requests to `/v1/slow` and `/v1/quick`, in order. */
const signals: AbortSignal[] = [];

/** `/v1/slow` works until its client goes away, then fails with the abort, as a database read does. */
const routes: RouteModule = (registry) => {
  registry.add({
    method: 'get',
    path: '/v1/slow',
    operationId: 'slow',
    summary: 'Waits for the client to leave',
    auth: 'bearer',
    responses: { 200: { description: 'never', schema: z.object({}) } },
    handle: async (_input, { res }) => {
      const signal = clientGoneSignal(res);
      signals.push(signal);
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      return reply(200, {});
    },
  });
  registry.add({
    method: 'get',
    path: '/v1/quick',
    operationId: 'quick',
    summary: 'Answers at once',
    auth: 'bearer',
    responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
    handle: async (_input, { res }) => {
      signals.push(clientGoneSignal(res));
      return reply(200, { ok: true });
    },
  });
};

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('client gone signal', () => {
  let app: TestApp;
  beforeEach(async () => {
    signals.length = 0;
    app = await startTestApp({ routers: [routes] });
  });
  afterEach(async () => {
    await app.close();
  });

  it('aborts when the client leaves; the failure that follows is logged as a disconnect, not a server error', async () => {
    const controller = new AbortController();
    const pending = app.fetch('/v1/slow', { signal: controller.signal }).catch((err: unknown) => err);
    await eventually(() => signals.length === 1, 'the request arrived');
    controller.abort();
    expect(await pending).to.be.instanceOf(Error);
    await eventually(() => signals[0]!.aborted, 'the signal aborted');
    expect(signals[0]!.reason).to.be.instanceOf(ClientGoneError);
    await eventually(() => app.logs.text().includes('the client went away before the answer; nothing was sent'), 'the disconnect was logged');
    expect(app.logs.records().filter((r) => (r['level'] as number) >= 40)).to.deep.equal([]);
  });

  it('never aborts for a response that was sent in full', async () => {
    const res = await app.fetch('/v1/quick');
    expect(await res.json()).to.deep.equal({ ok: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(signals[0]!.aborted).to.equal(false);
  });
});
