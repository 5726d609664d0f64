import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPlatformApp, type PlatformApp } from '@hfit/api/testing';
import type { PlatformFixture } from '@hfit/builds/testing';
import { createLogger } from '@hfit/logger';
import { startWorker, type StartedWorker } from '@hfit/worker';
import sshpk from 'sshpk';

/** The first admin of a platform started with `admin: true`. */
export interface CliAdmin {
  /** A first admin of the server config (`auth.admins`): logs in with {@link keyFile}. */
  readonly user: string;
  /** Its Ed25519 private key (PKCS#8 PEM, not encrypted). */
  readonly keyFile: string;
  /** Its public key as an OpenSSH line, as the config lists it. */
  readonly publicKey: string;
  /** User of a static token with the built-in `admin` role (`auth.tokens`), for admin commands without a login. */
  readonly tokenUser: string;
  readonly token: string;
  /** `HFIT_SERVER` and `HFIT_TOKEN` (the admin token): admin commands run as {@link tokenUser}. */
  readonly env: Readonly<Record<string, string>>;
}

/** The API and a worker in-process on the real services, for command tests. */
export interface CliPlatform {
  /** The API's base URL. */
  readonly url: string;
  /** Tokens by user: `alice`, `ci-bot` (and the admin token user with `admin: true`). */
  readonly tokens: Readonly<Record<string, string>>;
  readonly fixture: PlatformFixture;
  readonly app: PlatformApp;
  /** Environment for a command run as alice: `HFIT_SERVER`, `HFIT_TOKEN`. */
  readonly env: Readonly<Record<string, string>>;
  /** Set with `admin: true`. */
  readonly admin: CliAdmin | undefined;
  close(): Promise<void>;
}

/** Options of {@link startCliPlatform}. */
export interface CliPlatformOptions {
  /** Start a worker (default true); without one, builds stay queued. */
  readonly worker?: boolean;
  /**
   * Add a first admin to the server config (`auth.admins`, user `root-<random>`) with a fresh
   * Ed25519 key, and a static token with role `admin` (user `ops-<random>`). See {@link CliAdmin}.
   */
  readonly admin?: boolean;
}

/** Writes a fresh Ed25519 key pair for the first admin into `dir`. */
async function adminKey(dir: string): Promise<{ keyFile: string; publicKey: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = path.join(dir, 'admin_ed25519');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const line = sshpk.parseKey(publicKey.export({ type: 'spki', format: 'pem' }), 'pem').toString('ssh');
  return { keyFile, publicKey: `${line} hfit-test-admin` };
}

/**
 * Starts `startPlatformApp` (scratch MariaDB and PostgreSQL databases, a volume, fs storage, a
 * unique Redis prefix, the API with browse and template routes) and one worker on its config;
 * with `admin: true`, the config (of both) also has a first admin and an admin token.
 */
export async function startCliPlatform(options: CliPlatformOptions = {}): Promise<CliPlatform> {
  const keyDir = options.admin === true ? await mkdtemp(path.join(tmpdir(), 'hfit-cli-admin-')) : undefined;
  const suffix = randomBytes(4).toString('hex');
  const admin =
    keyDir === undefined
      ? undefined
      : { user: `root-${suffix}`, ...(await adminKey(keyDir)), tokenUser: `ops-${suffix}`, token: `ops-admin-${randomBytes(16).toString('hex')}` };
  type Config = PlatformFixture['config'];
  const withAdmin = (config: Config): Config =>
    admin === undefined
      ? config
      : {
          ...config,
          auth: {
            ...config.auth,
            admins: [...config.auth.admins, { user: admin.user, keys: [admin.publicKey] }],
            tokens: [...config.auth.tokens, { user: admin.tokenUser, token: admin.token, roles: ['admin'] }],
          },
        };
  let app: PlatformApp;
  try {
    app = await startPlatformApp({ fixture: { worker: { concurrency: 2, exportConcurrency: 4 } }, config: withAdmin });
  } catch (err) {
    if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
    throw err;
  }
  let started: StartedWorker | undefined;
  const dispose = async (): Promise<void> => {
    try {
      await app.close();
    } finally {
      if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
    }
  };
  try {
    const config = withAdmin(app.fixture.config);
    if (options.worker !== false) started = await startWorker(config, createLogger({ name: 'cli-test-worker', level: 'silent' }), { name: 'cli-test', maintenance: false });
  } catch (err) {
    await dispose();
    throw err;
  }
  const url = app.app.url;
  return {
    url,
    tokens: app.tokens,
    fixture: app.fixture,
    app,
    env: { HFIT_SERVER: url, HFIT_TOKEN: app.tokens['alice']! },
    admin: admin === undefined ? undefined : { ...admin, env: { HFIT_SERVER: url, HFIT_TOKEN: admin.token } },
    async close() {
      try {
        await started?.close(5_000);
      } finally {
        await dispose();
      }
    },
  };
}
