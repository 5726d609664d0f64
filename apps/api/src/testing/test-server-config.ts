import { parseServerConfig, type LoadedServerConfig } from '@hfit/config';
import { registerTestSecret } from '@hfit/contracts/testing';
import { TEST_ROLE, TEST_TOKENS } from './start-test-app.js';

/** A static token with the `admin` role in {@link testServerConfig} (user `root`). */
export const TEST_ADMIN_TOKEN = 'root-token-7c1e9b04d2a8f356';

/**
 * A server config like `startTestApp`'s default (the {@link TEST_TOKENS} users with role
 * `tester`), plus user `root` with {@link TEST_ADMIN_TOKEN} and the `admin` role, and `api`
 * settings merged in (`corsOrigins`, `trustProxy`, `rateLimits`…).
 */
export function testServerConfig(api: Record<string, unknown> = {}): LoadedServerConfig {
  const tokens = [
    ...Object.entries(TEST_TOKENS).map(([user, token]) => ({ user, token, roles: [TEST_ROLE] })),
    { user: 'root', token: TEST_ADMIN_TOKEN, roles: ['admin'] },
  ];
  for (const t of tokens) registerTestSecret(t.token);
  const roles = { [TEST_ROLE]: { actions: ['browse', 'rows', 'files', 'build', 'download'], tables: ['**'], volumes: ['**'], packages: ['**'] } };
  return parseServerConfig(JSON.stringify({ api: { bodyLimitBytes: 4096, ...api }, auth: { roles, tokens } }), {});
}
