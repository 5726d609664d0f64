import type { AuthConfig } from '@hfit/config';
import { parseServerConfig } from '@hfit/config';
import { createSecurityFixture, generateLoginKeyPair, type LoginKeyPair, type SecurityFixture } from '@hfit/auth/testing';
import { ChallengeResponseSchema, TokenResponseSchema, type GrantInput } from '@hfit/contracts';
import { registerTestSecret } from '@hfit/contracts/testing';
import type { RateLimits } from '../security/rate-limits.js';
import { CollectingAuditSink } from './collecting-audit-sink.js';
import { startTestApp, TEST_ROLE, TEST_TOKENS, type TestApp } from './start-test-app.js';

/** The first admin of the {@link startSecurityApp} config (`auth.admins`), who logs in with {@link SecurityApp.adminKey}. */
export const TEST_ADMIN = 'root';

/** Options of {@link startSecurityApp}. */
export interface SecurityAppOptions {
  /** `auth` settings besides admins, roles and tokens (validated by the config schema). */
  readonly auth?: { readonly tokenTtlSeconds?: number; readonly challengeTtlSeconds?: number; readonly signingAlgorithm?: 'EdDSA' | 'ES256'; readonly signingKeyGraceSeconds?: number };
  /** Values set below the schema's minimums (a 1 s challenge TTL), see `SecurityFixtureOptions.unchecked`. */
  readonly unchecked?: Partial<AuthConfig>;
  readonly rateLimits?: RateLimits;
}

/** The API with a real security store (Redis, unique prefix; fs storage in a temp folder). */
export interface SecurityApp {
  readonly fixture: SecurityFixture;
  /** The app; its `fetch` sends alice's static token unless told otherwise. */
  readonly app: TestApp;
  readonly audit: CollectingAuditSink;
  /** Key pair of {@link TEST_ADMIN} (Ed25519). */
  readonly adminKey: LoginKeyPair;
  /** Logs `user` in with `key` through the API; answers the JWT. */
  login(user: string, key: LoginKeyPair, app?: TestApp): Promise<string>;
  /** A JWT of {@link TEST_ADMIN}. */
  adminToken(): Promise<string>;
  /** A second API instance on the same Redis prefix and storage (own connection and caches), closed by `close`. */
  replica(): Promise<TestApp>;
  close(): Promise<void>;
}

/** A role of the test config besides `tester`: read-only browsing. */
export const TEST_READER_ROLE = 'reader';
const READER_GRANT: GrantInput = { actions: ['browse'], tables: ['**'] };

/**
 * Starts the API as `main.ts` wires it for login and admin: a security store, the three bearer
 * token kinds, the auth and admin routes. The config has a first admin ({@link TEST_ADMIN}), the
 * `tester` and `reader` roles, and the static tokens of alice and bob (`tester`).
 */
export async function startSecurityApp(options: SecurityAppOptions = {}): Promise<SecurityApp> {
  const adminKey = generateLoginKeyPair('ed25519', 'root@test');
  const fixture = await createSecurityFixture({
    auth: {
      ...options.auth,
      admins: [{ user: TEST_ADMIN, keys: [adminKey.authorizedKey] }],
      roles: {
        [TEST_ROLE]: { actions: ['browse', 'rows', 'files', 'build', 'download'], tables: ['**'], volumes: ['**'], packages: ['**'] },
        [TEST_READER_ROLE]: READER_GRANT,
      },
      tokens: Object.entries(TEST_TOKENS).map(([user, token]) => ({ user, token, roles: [TEST_ROLE] })),
    },
    ...(options.unchecked === undefined ? {} : { unchecked: options.unchecked }),
  });
  const base = parseServerConfig('api:\n  bodyLimitBytes: 65536\n', {});
  const config = { ...base, auth: fixture.config.auth, redis: { ...base.redis, prefix: fixture.prefix } };
  const audit = new CollectingAuditSink();
  const apps: TestApp[] = [];
  const start = async (security = fixture.security) => {
    await security.signingKeys.ensure();
    const app = await startTestApp({ config, security, audit, ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }) });
    apps.push(app);
    return app;
  };
  try {
    const app = await start();
    const login = async (user: string, key: LoginKeyPair, on: TestApp = app): Promise<string> => {
      const post = (path: string, body: unknown) => on.fetch(path, { method: 'POST', token: null, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const challenge = ChallengeResponseSchema.parse(await (await post('/v1/auth/challenge', { username: user })).json()).challenge;
      const res = await post('/v1/auth/token', { username: user, challenge, signature: key.sign(challenge) });
      if (res.status !== 200) throw new Error(`login of ${user} failed: ${res.status} ${await res.text()}`);
      const { token } = TokenResponseSchema.parse(await res.json());
      registerTestSecret(token);
      return token;
    };
    return {
      fixture,
      app,
      audit,
      adminKey,
      login,
      adminToken: () => login(TEST_ADMIN, adminKey),
      replica: () => start(fixture.replica()),
      close: async () => {
        try {
          for (const a of apps) await a.close();
        } finally {
          await fixture.dispose();
        }
      },
    };
  } catch (err) {
    for (const a of apps) await a.close();
    await fixture.dispose();
    throw err;
  }
}
