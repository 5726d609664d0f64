import { parseServerConfig } from '@hfit/config';
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
export interface TestAppOptions extends Partial<Pick<AppDeps, 'readiness' | 'routers' | 'authStrategies' | 'readinessTimeoutMs' | 'validateResponses'>> {
  readonly builds?: InMemoryBuildService;
  /** `api.bodyLimitBytes` (default 4096, small enough to test 413 cheaply). */
  readonly bodyLimitBytes?: number;
}

/** An API listening on an ephemeral port, with its build service double and captured log. */
export interface TestApp {
  readonly url: string;
  readonly builds: InMemoryBuildService;
  readonly logs: LogCapture;
  /** `fetch` against the app; `token` (default alice's) becomes the bearer token, `null` sends none. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts {@link createApp} on 127.0.0.1 with a config holding {@link TEST_TOKENS}. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const tokens = Object.entries(TEST_TOKENS)
    .map(([user, token]) => `    - { user: ${user}, token: "${token}" }`)
    .join('\n');
  const config = parseServerConfig(`api:\n  bodyLimitBytes: ${options.bodyLimitBytes ?? 4096}\nauth:\n  tokens:\n${tokens}\n`, {});
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
      const { token = TEST_TOKENS.alice, ...rest } = init;
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
