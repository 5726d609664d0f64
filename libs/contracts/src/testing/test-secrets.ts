import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder `npm test` creates for one run: every logger tees its lines there (`@hfit/logger`),
 * fixtures register their secrets there, and the log scan reads it all afterwards. Unset outside
 * the test runner.
 */
const TEE_DIR_ENV = 'HFIT_LOG_TEE_DIR';

/** File of the tee dir listing the registered secrets, one JSON string per line. */
export const TEST_SECRETS_FILE = 'secrets.list';

const registered = new Set<string>();

/** The run's tee folder, or undefined outside `npm test` (read per call: tests may change it). */
function teeDir(): string | undefined {
  const dir = process.env[TEE_DIR_ENV];
  return dir === undefined || dir === '' ? undefined : path.resolve(dir);
}

/**
 * Declares a password, token or key a test configures, so the log scan after the suite fails if
 * it appears in any log line or audit file. Appends it to `$HFIT_LOG_TEE_DIR/secrets.list` (one
 * JSON string per line, so multi-line PEM keys fit); does nothing when the variable is unset.
 * Registering the same value twice in one process writes it once.
 */
export function registerTestSecret(value: string): void {
  const dir = teeDir();
  if (dir === undefined || value === '' || registered.has(value)) return;
  registered.add(value);
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, TEST_SECRETS_FILE), `${JSON.stringify(value)}\n`, { mode: 0o600 });
}

/**
 * A new, unique folder under the run's tee folder for files a test writes that the log scan must
 * read too (audit trails): `$HFIT_LOG_TEE_DIR/<kind>/<uuid>`. Undefined outside `npm test`; the
 * caller then uses its own temporary folder.
 */
export function scannedTestDir(kind: string): string | undefined {
  const dir = teeDir();
  return dir === undefined ? undefined : path.join(dir, kind, randomUUID());
}
