import type { BuildService } from '@hfit/builds';
import { parseServerConfig, type LoadedServerConfig } from '@hfit/config';
import { registerTestSecret } from '@hfit/contracts/testing';
import { createLogger } from '@hfit/logger';
import { closeAll } from '@hfit/queue';
import { createApp, type AppDeps } from '../app.js';
import { startHttpServer } from '../start-http-server.js';
import type { RateLimits } from '../security/rate-limits.js';
import { CollectingAuditSink } from './collecting-audit-sink.js';
import { InMemoryBuildService } from './in-memory-build-service.js';
import { UNLIMITED_RATE_LIMITS } from './unlimited-rate-limits.js';
import { captureLogs, type LogCapture } from './log-capture.js';

/** Static tokens of the test config. */
export const TEST_TOKENS = {
  alice: 'alice-token-4f1d2c3b5a69',
  bob: 'bob-token-9a8b7c6d5e4f',
} as const;

/**
 * Role of the {@link TEST_TOKENS} users in the default config: every action but `admin`, on every
 * table, volume and package; builds and templates of others stay hidden.
 */
export const TEST_ROLE = 'tester';

/** Options of {@link startTestApp}. */
export interface TestAppOptions<B extends BuildService = InMemoryBuildService>
  extends Partial<Pick<AppDeps, 'readiness' | 'routers' | 'authStrategies' | 'readinessTimeoutMs' | 'validateResponses' | 'policies' | 'security'>> {
  /** Where audit events go (default: a new {@link CollectingAuditSink}, exposed as `audit`). */
  readonly audit?: CollectingAuditSink;
  /** Default: no limits. */
  readonly rateLimits?: RateLimits;
  /** The build service: an {@link InMemoryBuildService} by default, or a real one (platform tests). */
  readonly builds?: B;
  /**
   * The server config (its `api` limits and `auth.tokens` apply), e.g. a platform fixture's.
   * Default: a config holding {@link TEST_TOKENS}.
   */
  readonly config?: LoadedServerConfig;
  /** `api.bodyLimitBytes` of the default config (default 4096, small enough to test 413 cheaply). */
  readonly bodyLimitBytes?: number;
  /** Bearer token `fetch` sends unless told otherwise (default alice's of {@link TEST_TOKENS}). */
  readonly token?: string;
}

/** An API listening on an ephemeral port, with its build service and captured log. */
export interface TestApp<B extends BuildService = InMemoryBuildService> {
  readonly url: string;
  readonly builds: B;
  readonly logs: LogCapture;
  /** The audit events the app recorded. */
  readonly audit: CollectingAuditSink;
  /** `fetch` against the app; `token` (default: the app's default token) becomes the bearer token, `null` sends none. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** YAML of the `auth.roles` entry of {@link TEST_ROLE}, for test configs. */
export const TEST_ROLE_YAML = `    ${TEST_ROLE}: { actions: [browse, rows, files, build, download], tables: ["**"], volumes: ["**"], packages: ["**"] }`;

/** The default config: small body limit, the {@link TEST_TOKENS} with role {@link TEST_ROLE}. */
function defaultConfig(bodyLimitBytes: number): LoadedServerConfig {
  const tokens = Object.entries(TEST_TOKENS)
    .map(([user, token]) => `    - { user: ${user}, token: "${token}", roles: [${TEST_ROLE}] }`)
    .join('\n');
  return parseServerConfig(`api:\n  bodyLimitBytes: ${bodyLimitBytes}\nauth:\n  roles:\n${TEST_ROLE_YAML}\n  tokens:\n${tokens}\n`, {});
}

/** Starts {@link createApp} on 127.0.0.1 with a config holding {@link TEST_TOKENS} (or `options.config`). */
export async function startTestApp(options?: TestAppOptions): Promise<TestApp>;
/** Starts {@link createApp} on 127.0.0.1 around the given build service. */
export async function startTestApp<B extends BuildService>(options: TestAppOptions<B> & { readonly builds: B }): Promise<TestApp<B>>;
export async function startTestApp(options: TestAppOptions<BuildService> = {}): Promise<TestApp<BuildService>> {
  if (options.config !== undefined && options.bodyLimitBytes !== undefined) throw new Error('startTestApp: bodyLimitBytes applies to the default config only; set api.bodyLimitBytes in config');
  const config = options.config ?? defaultConfig(options.bodyLimitBytes ?? 4096);
  // The log scan after the suite fails if a configured token shows up in any log.
  for (const t of config.auth.tokens) registerTestSecret(t.token);
  const defaultToken = options.token ?? TEST_TOKENS.alice;
  const logs = captureLogs();
  const builds = options.builds ?? new InMemoryBuildService();
  const audit = options.audit ?? new CollectingAuditSink();
  const app = createApp({
    config,
    audit,
    rateLimits: options.rateLimits ?? UNLIMITED_RATE_LIMITS,
    ...(options.policies === undefined ? {} : { policies: options.policies }),
    logger: createLogger({ name: 'api-test', level: 'debug', destination: logs }),
    builds,
    readiness: options.readiness ?? {},
    ...(options.routers === undefined ? {} : { routers: options.routers }),
    ...(options.authStrategies === undefined ? {} : { authStrategies: options.authStrategies }),
    ...(options.security === undefined ? {} : { security: options.security }),
    ...(options.readinessTimeoutMs === undefined ? {} : { readinessTimeoutMs: options.readinessTimeoutMs }),
    ...(options.validateResponses === undefined ? {} : { validateResponses: options.validateResponses }),
  });
  const http = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: http.url,
    builds,
    logs,
    audit,
    fetch: (path, init = {}) => {
      const { token = defaultToken, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('Authorization', `Bearer ${token}`);
      return fetch(`${http.url}${path}`, { ...rest, headers });
    },
    close: async () => {
      const report = await closeAll([http.closable], { timeoutMs: 2_000 });
      if (!report.ok) throw new Error(`test app did not close: ${report.problems.join('; ')}`);
    },
  };
}
