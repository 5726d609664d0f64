/** What secrets are replaced with. */
export const REDACTED = '***';

const SECRET_KEY = /pass(word)?$|secret|token|credential|private_?key|api_?key/i;

/** Recursively JSON-safe copy with secret fields and URL credentials replaced by {@link REDACTED}. */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return value === '' ? '' : REDACTED;
    // scheme://user:password@host -> scheme://user:***@host
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)[^@\s]*@/i, `$1${REDACTED}@`);
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), redactSecrets(v, String(k))]));
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)]));
  }
  return value;
}

/**
 * A copy of a config that is safe to log: passwords (and any field named like a secret or token)
 * become `***` (empty ones stay empty, so "no password set" is still visible), credentials in URLs
 * are masked, and Maps become plain objects.
 */
export function redactConfig<T>(cfg: T): T {
  return redactSecrets(cfg) as T;
}
