import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { findSource, findVolume } from './find-configured.js';
import { loadServerConfig } from './load-server-config.js';
import { parseServerConfig } from './parse-server-config.js';
import { redactConfig } from './redact-config.js';

const good = `
sources:
  shop:
    type: mysql
    host: \${DB_HOST}
    user: reader
    password: \${SHOP_PASSWORD}
  pg1:
    type: postgres
    host: \${PG_HOST:-pg.internal}
    port: \${PG_PORT:-6543}
    user: "u$$er"
    password: "pa$word"
    database: app
volumes:
  vol1:
    root: ./data/vol1
  abs:
    root: /srv/files
    symlinks: deny
`;

describe('parseServerConfig', () => {
  it('interpolates ${VAR} and ${VAR:-default}, keeps lone $, turns $$ into $', () => {
    const cfg = parseServerConfig(good, { DB_HOST: 'db.internal', SHOP_PASSWORD: 's3cr3t!' }, { baseDir: '/etc/hfit' });
    const [shop, pg] = cfg.sources;
    expect(shop).to.include({ name: 'shop', type: 'mysql', host: 'db.internal', password: 's3cr3t!' });
    expect(pg).to.include({ name: 'pg1', host: 'pg.internal', port: 6543, user: 'u$er', password: 'pa$word' });
  });

  it('uses the default when the variable is empty', () => {
    const cfg = parseServerConfig(good, { DB_HOST: 'h', SHOP_PASSWORD: '', PG_HOST: '' });
    expect(cfg.sources[1]!.host).to.equal('pg.internal');
    expect(cfg.sources[0]!.password).to.equal('');
  });

  it('defaults ports per type and other fields from the schema', () => {
    const cfg = parseServerConfig(
      'sources:\n  m: { type: mysql, user: u }\n  p: { type: postgres, user: u }\n',
      {},
    );
    expect(cfg.sources.map((s) => [s.name, s.port, s.host])).to.deep.equal([
      ['m', 3306, '127.0.0.1'],
      ['p', 5432, '127.0.0.1'],
    ]);
    expect(cfg.sources[0]).to.include({ statementTimeoutMs: 300_000, poolSize: 4, password: '' });
    expect(cfg.extraction.batchSize).to.equal(1000);
    expect(cfg.volumes).to.deep.equal([]);
  });

  it('resolves volume roots against the base directory', () => {
    const cfg = parseServerConfig(good, { DB_HOST: 'h', SHOP_PASSWORD: 'p' }, { baseDir: '/etc/hfit' });
    expect(cfg.volumes).to.deep.equal([
      { name: 'vol1', root: '/etc/hfit/data/vol1', symlinks: 'confine' },
      { name: 'abs', root: '/srv/files', symlinks: 'deny' },
    ]);
  });

  it('names the field and the variable when a variable is unset', () => {
    const e = thrownHfitError(() => parseServerConfig(good, { DB_HOST: 'h' }));
    expect(e.code).to.equal('CONFIG_INVALID');
    expect(e.details).to.have.length(1);
    expect(e.details[0]).to.include({ field: 'sources.shop.password', line: 7 });
    expect(e.message).to.include('SHOP_PASSWORD').and.include('${SHOP_PASSWORD:-default}');
  });

  it('lists every bad field at once, with lines', () => {
    const e = thrownHfitError(() =>
      parseServerConfig(
        [
          'sources:',
          '  a:',
          '    type: oracle',
          '    port: 70000',
          '    password: ${NOPE}',
          '  9bad:',
          '    type: mysql',
          '    user: u',
          '    pasword: x',
          'volumes:',
          '  v: {}',
          'extraction: { batchSize: 0 }',
          'redis: x',
          '',
        ].join('\n'),
        {},
      ),
    );
    expect(e.code).to.equal('CONFIG_INVALID');
    const found = e.details.map((d) => `${d.field}@${d.line}`);
    expect(found).to.include.members([
      'sources.a.type@3',
      'sources.a.port@4',
      'sources.a.password@5',
      'sources.a.user@2',
      'sources.9bad@6',
      'sources.9bad.pasword@9',
      'volumes.v.root@11',
      'extraction.batchSize@12',
      'redis@13',
    ]);
    expect(e.message).to.include('sources.a.type (line 3): must be one of: mysql, postgres');
    expect(e.message).to.include('sources.a.user (line 2): is required');
  });

  it('asks for quotes when a string field was written as a number', () => {
    const e = thrownHfitError(() => parseServerConfig('sources:\n  a:\n    type: mysql\n    user: 123\n', {}));
    expect(e.details).to.deep.equal([
      { field: 'sources.a.user', line: 4, message: 'must be a string, not an integer: put the value in quotes' },
    ]);
  });

  it('never puts secret values in error messages', () => {
    const secret = 'hunter2-TOPSECRET';
    const texts = [
      `sources:\n  a:\n    type: mysql\n    user: u\n    password: ${secret}\n    port: nope\n`,
      `sources:\n  a:\n    type: mysql\n    user: u\n    password: [${secret}]\n`,
      `sources:\n  a:\n    type: ${secret}\n    user: u\n`,
      `sources:\n  a:\n    type: mysql\n    user: u\n    password: "${secret}\\q"\n`,
      `sources:\n  a:\n    type: mysql\n    user: u\n    password: ${secret}\n   bad: indent\n`,
      `sources:\n  a:\n    type: mysql\n    user: u\n    password: \${SECRET_VAR}\n    port: \${PORT}\n`,
    ];
    for (const text of texts) {
      const e = thrownHfitError(() => parseServerConfig(text, { SECRET_VAR: secret, PORT: `x${secret}` }));
      const all = JSON.stringify({ message: e.message, details: e.details, json: e.toJSON() });
      expect(all, text).not.to.include(secret);
      expect(all, text).not.to.include('hunter2');
    }
  });

  it('accepts numeric fields filled from the environment', () => {
    const cfg = parseServerConfig('sources:\n  a: { type: mysql, user: u, port: "${P}", poolSize: "${N}" }\n', { P: '3307', N: '8' });
    expect(cfg.sources[0]).to.include({ port: 3307, poolSize: 8 });
  });

  it('reports malformed YAML with its line', () => {
    const e = thrownHfitError(() => parseServerConfig('sources:\n  a: { type: mysql\n  b: [\n', {}));
    expect(e.code).to.equal('CONFIG_INVALID');
    expect(e.line).to.be.a('number');
  });
});

describe('storage section', () => {
  it('defaults to an hfit-storage directory beside the config file', () => {
    const cfg = parseServerConfig('sources: {}\n', {}, { baseDir: '/etc/hfit' });
    expect(cfg.storage).to.deep.equal({ type: 'fs', root: '/etc/hfit/hfit-storage', retention: {} });
  });

  it('resolves a relative fs root and reads retention', () => {
    const cfg = parseServerConfig('storage: { type: fs, root: ./pkgs, retention: { keepLast: 5, maxAgeDays: "30" } }\n', {}, { baseDir: '/srv' });
    expect(cfg.storage).to.deep.equal({ type: 'fs', root: '/srv/pkgs', retention: { keepLast: 5, maxAgeDays: 30 } });
  });

  it('takes S3 settings with credentials from the environment, and redacts them', () => {
    const text = `storage:
  type: s3
  bucket: hfit-packages
  prefix: prod/
  endpoint: http://127.0.0.1:9000
  forcePathStyle: true
  credentials: { accessKeyId: "\${S3_KEY}", secretAccessKey: "\${S3_SECRET}" }
`;
    const cfg = parseServerConfig(text, { S3_KEY: 'AKIAEXAMPLE', S3_SECRET: 's3cr3t-value' });
    expect(cfg.storage).to.include({ type: 's3', bucket: 'hfit-packages', prefix: 'prod/', region: 'us-east-1', forcePathStyle: true });
    expect(JSON.stringify(redactConfig(cfg))).not.to.contain('s3cr3t-value');
  });

  it('names bad storage fields', () => {
    const err = thrownHfitError(() => parseServerConfig('storage: { type: s3, bucket: b, partSize: 1024, color: red }\n', {}));
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.contain('storage.bucket').and.to.contain('storage.partSize').and.to.contain('storage.color');
    expect(thrownHfitError(() => parseServerConfig('storage: { type: ftp }\n', {})).message).to.contain('storage.type');
  });
});

describe('redis, api, worker and auth sections', () => {
  it('defaults to local Redis, the API on 127.0.0.1:8080, one build job per worker and no tokens', () => {
    const cfg = parseServerConfig('sources: {}', {});
    expect(cfg.redis).to.deep.equal({ url: 'redis://127.0.0.1:6379', prefix: 'hfit' });
    expect(cfg.api).to.include({ host: '127.0.0.1', port: 8080, presignSeconds: 0 });
    expect(cfg.worker).to.include({ concurrency: 1, exportConcurrency: 2, attempts: 3, lockDurationMs: 30_000, shutdownTimeoutMs: 30_000 });
    expect(cfg.auth.tokens).to.deep.equal([]);
  });

  it('reads tokens from the environment and redacts them and the Redis password', () => {
    const cfg = parseServerConfig(
      'redis: { url: "redis://:${REDIS_PW}@cache:6380/2", prefix: prod }\nauth: { tokens: [{ user: ci-bot, token: "${CI_TOKEN}" }] }\nworker: { concurrency: "${WC}" }',
      { REDIS_PW: 'hunter2hunter2', CI_TOKEN: 'ci-token-0123456789abcdef', WC: '4' },
    );
    expect(cfg.auth.tokens).to.deep.equal([{ user: 'ci-bot', token: 'ci-token-0123456789abcdef', roles: [] }]);
    expect(cfg.worker.concurrency).to.equal(4);
    const shown = JSON.stringify(redactConfig(cfg));
    expect(shown).to.not.include('hunter2hunter2');
    expect(shown).to.not.include('ci-token-0123456789abcdef');
  });

  it('names every bad field: short or reused tokens, bad user names, Redis URL, worker numbers', () => {
    const err = thrownHfitError(() =>
      parseServerConfig(
        `redis: { url: "http://cache" }
worker: { concurrency: 0, lockDurationMs: 10 }
auth:
  tokens:
    - { user: "a b", token: short }
    - { user: x, token: same-token-0123456789 }
    - { user: y, token: same-token-0123456789 }
`,
        {},
      ),
    );
    expect(err.code).to.equal('CONFIG_INVALID');
    const fields = err.details.map((d) => d.field);
    expect(fields).to.include.members([
      'redis.url',
      'worker.concurrency',
      'worker.lockDurationMs',
      'auth.tokens[0].user',
      'auth.tokens[0].token',
      'auth.tokens[2].token',
    ]);
    expect(JSON.stringify(err.details)).to.not.include('same-token-0123456789');
  });
});

describe('redactConfig', () => {
  it('masks passwords and URL credentials without touching the original', () => {
    const cfg = parseServerConfig(good, { DB_HOST: 'h', SHOP_PASSWORD: 'topsecret' });
    const red = redactConfig({ ...cfg, redisUrl: 'redis://user:pw@redis:6379/0' });
    expect(red.sources[0]!.password).to.equal('***');
    expect(red.sources[1]!.password).to.equal('***');
    expect(red.redisUrl).to.equal('redis://user:***@redis:6379/0');
    expect(JSON.stringify(red)).not.to.include('topsecret');
    expect(cfg.sources[0]!.password).to.equal('topsecret');
  });
});

describe('loadServerConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hfit-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file named by HFIT_CONFIG, resolving roots next to it', () => {
    mkdirSync(path.join(dir, 'files'));
    const file = path.join(dir, 'hfit.yaml');
    writeFileSync(file, 'sources:\n  s: { type: postgres, user: u, password: "${PW}" }\nvolumes:\n  v: { root: files }\n');
    const cfg = loadServerConfig({ env: { HFIT_CONFIG: file, PW: 'x' } });
    expect(cfg.path).to.equal(file);
    expect(findVolume(cfg, 'v').root).to.equal(path.join(dir, 'files'));
    expect(findSource(cfg, 's')).to.include({ port: 5432, password: 'x' });
    expect(thrownHfitError(() => findSource(cfg, 'nope')).message).to.include('configured sources: s');
  });

  it('fails fast on a missing volume root and on a missing file', () => {
    const file = path.join(dir, 'hfit.yaml');
    writeFileSync(file, 'volumes:\n  v: { root: missing }\n');
    const e = thrownHfitError(() => loadServerConfig({ path: file, env: {} }));
    expect(e.details[0]).to.include({ field: 'volumes.v.root', line: 2 });
    expect(loadServerConfig({ path: file, env: {}, checkVolumeRoots: false }).volumes).to.have.length(1);
    expect(thrownHfitError(() => loadServerConfig({ path: path.join(dir, 'nope.yaml'), env: {} })).message).to.include('does not exist');
    expect(thrownHfitError(() => loadServerConfig({ env: {} })).message).to.include('HFIT_CONFIG');
  });
});
