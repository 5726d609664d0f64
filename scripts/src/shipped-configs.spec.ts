import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServerConfig } from '@hfit/config';
import { expect } from 'chai';
import { parseDocument } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('shipped configurations', () => {
  it('the demo config is valid with the admin key the demo passes, and nothing else set', async () => {
    const file = path.join(root, 'infra/demo/hfit.yaml');
    const key = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const secret = 'demo-signing-key-secret-0123456789abcdef';
    const cfg = parseServerConfig(await readFile(file, 'utf8'), { HFIT_DEMO_ADMIN_KEY: key, HFIT_DEMO_SIGNING_KEY_SECRET: secret }, { baseDir: path.dirname(file) });
    expect(cfg.auth.signingKeySecret).to.equal(secret);
    expect(cfg.sources.map((s) => s.name)).to.deep.equal(['shop_mysql', 'shop_pg']);
    expect(cfg.storage).to.include({ type: 'fs', root: path.join(root, 'infra/demo/hfit-storage') });
    expect(cfg.auth.admins).to.deep.equal([{ user: 'demo', keys: [key] }]);
    expect(cfg.auth.tokens).to.deep.equal([]);
    expect(cfg.audit.dir).to.equal(path.join(root, '.hfit-demo/audit'));
  });

  it('the docker-compose config is valid with the variables compose sets', async () => {
    const file = path.join(root, 'infra/compose/hfit.yaml');
    const env = {
      HFIT_DEMO_TOKEN: 'demo-token-change-me-0123456789',
      HFIT_SIGNING_KEY_SECRET: 'change-me-signing-key-secret-0123456789',
      S3_ACCESS_KEY: 'hfit-minio',
      S3_SECRET_KEY: 'hfit-minio-secret',
    };
    const cfg = parseServerConfig(await readFile(file, 'utf8'), env, { baseDir: path.dirname(file) });
    expect(cfg.storage).to.include({ type: 's3', bucket: 'hfit-packages', endpoint: 'http://minio:9000', forcePathStyle: true });
    expect(cfg.redis.url).to.equal('redis://redis:6379');
    expect(cfg.api).to.include({ host: '0.0.0.0', port: 8080 });
    // The demo token is a developer's: it can build and download, not administer.
    expect(cfg.auth.tokens.map((t) => t.roles)).to.deep.equal([['developer']]);
    expect(cfg.auth.roles['developer']!.actions).to.not.include('admin');
    expect(cfg.audit.dir).to.equal('/data/audit');
  });

  it('docker-compose.yml names the config, the images and the scalable worker', async () => {
    const doc = parseDocument(await readFile(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(doc.errors).to.deep.equal([]);
    const compose = doc.toJS({ maxAliasCount: 100 }) as { services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[] }> };
    expect(Object.keys(compose.services)).to.include.members(['redis', 'mariadb', 'postgres', 'minio', 'api', 'worker', 'demo']);
    expect(compose.services.worker!.environment!.HFIT_CONFIG).to.equal('/app/infra/compose/hfit.yaml');
    expect(compose.services.worker!.ports).to.equal(undefined); // replicas must not claim one host port
    for (const s of ['api', 'worker'] as const) {
      const script = compose.services[s]!.command!.at(-1)!;
      await readFile(path.join(root, script.replace('dist/', 'src/').replace(/\.js$/, '.ts')));
    }
  });
});
