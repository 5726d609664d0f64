import type { BuildService } from '@hfit/builds';
import { parseServerConfig, type LoadedServerConfig } from '@hfit/config';
import { createLogger } from '@hfit/logger';
import { closeAll } from '@hfit/queue';
import { createApp, type AppDeps } from '../app.js';
import { startHttpServer } from '../start-http-server.js';
import { InMemoryBuildService } from './in-memory-build-service.js';
import { captureLogs, type LogCapture } from './log-capture.js';

/** Static tokens of the test config. */
export const TEST_TOKENS = {
  alice: 'alice-token-4f1d2c3b5a69',
  bob: 'bob-token-9a8b7c6d5e4f',
} as const;

/** Options of {@link startTestApp}. */
export interface TestAppOptions<B extends BuildService = InMemoryBuildService>
  extends Partial<Pick<AppDeps, 'readiness' | 'routers' | 'authStrategies' | 'readinessTimeoutMs' | 'validateResponses'>> {
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
  /** `fetch` against the app; `token` (default: the app's default token) becomes the bearer token, `null` sends none. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** The default config: small body limit, the {@link TEST_TOKENS}. */
function defaultConfig(bodyLimitBytes: number): LoadedServerConfig {
  const tokens = Object.entries(TEST_TOKENS)
    .map(([user, token]) => `    - { user: ${user}, token: "${token}" }`)
    .join('\n');
  return parseServerConfig(`api:\n  bodyLimitBytes: ${bodyLimitBytes}\nauth:\n  tokens:\n${tokens}\n`, {});
}

/** Starts {@link createApp} on 127.0.0.1 with a config holding {@link TEST_TOKENS} (or `options.config`). */
export async function startTestApp(options?: TestAppOptions): Promise<TestApp>;
/** Starts {@link createApp} on 127.0.0.1 around the given build service. */
export async function startTestApp<B extends BuildService>(options: TestAppOptions<B> & { readonly builds: B }): Promise<TestApp<B>>;
export async function startTestApp(options: TestAppOptions<BuildService> = {}): Promise<TestApp<BuildService>> {
  if (options.config !== undefined && options.bodyLimitBytes !== undefined) throw new Error('startTestApp: bodyLimitBytes applies to the default config only; set api.bodyLimitBytes in config');
  const config = options.config ?? defaultConfig(options.bodyLimitBytes ?? 4096);
  const defaultToken = options.token ?? TEST_TOKENS.alice;
  const logs = captureLogs();
  const builds = options.builds ?? new InMemoryBuildService();
  const app = createApp({
    config,
    logger: createLogger({ name: 'api-test', level: 'debug', destination: logs }),
    builds,
    readiness: options.readiness ?? {},
    ...(options.routers === undefined ? {} : { routers: options.routers }),
    ...(options.authStrategies === undefined ? {} : { authStrategies: options.authStrategies }),
    ...(options.readinessTimeoutMs === undefined ? {} : { readinessTimeoutMs: options.readinessTimeoutMs }),
    ...(options.validateResponses === undefined ? {} : { validateResponses: options.validateResponses }),
  });
  const http = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: http.url,
    builds,
    logs,
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
