import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createPlatformFixture, type PlatformFixture } from '@hfit/builds/testing';
import { BuildAcceptedSchema, SourceListSchema } from '@hfit/contracts';
import { TemplateStore } from '@hfit/template-store';
import { expect } from 'chai';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** Starts `main.js` on the fixture's config and resolves with the URL it logs once listening. */
async function startApi(fixture: PlatformFixture): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, HFIT_CONFIG: fixture.configPath }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not log its URL within 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const found = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with ${String(code)} before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

describe('main.ts wiring (the API process on a real platform)', function () {
  this.timeout(60_000);
  let fixture: PlatformFixture;
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  beforeEach(async () => {
    fixture = await createPlatformFixture();
  });
  afterEach(async () => {
    if (api !== undefined && api.child.exitCode === null) {
      api.child.kill('SIGKILL');
      await once(api.child, 'exit');
    }
    api = undefined;
    await fixture.dispose();
  });

  it('serves browse and template routes, stores templates under templates/, and builds by templateName', async () => {
    api = await startApi(fixture);
    const token = fixture.config.auth.tokens.find((t) => t.user === 'alice')!.token;
    const call = (path: string, init: RequestInit = {}) => fetch(`${api!.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

    const sources = await call('/v1/sources');
    expect(SourceListSchema.parse(await sources.json()).map((s) => s.name)).to.deep.equal(['shop_mysql', 'shop_pg']);
    expect((await call('/v1/volumes/invoices/file?path=invoice_2.txt').then((r) => r.text()))).to.equal('Invoice for order 2\n');

    const created = await call('/v1/templates', { method: 'POST', body: JSON.stringify({ text: fixture.template }) });
    expect(created.status).to.equal(201);
    // The process stores templates on the configured object store, prefix "templates".
    const stored = await new TemplateStore({ store: fixture.objects, prefix: 'templates' }).get('alice', 'order_incident');
    expect(stored.text).to.equal(fixture.template);

    const build = await call('/v1/builds', { method: 'POST', body: JSON.stringify({ templateName: 'order_incident', args: ['3'] }) });
    expect(build.status).to.equal(202);
    const { id } = BuildAcceptedSchema.parse(await build.json());
    expect(await (await fixture.buildQueue.getJob(id))?.getState()).to.equal('waiting');

    api.child.kill('SIGTERM');
    const [code] = (await once(api.child, 'exit')) as [number | null];
    expect(code, api.output()).to.equal(0);
  });
});
