/** A kind of secret that must never reach the audit trail, and how to spot it in text. */
export interface SecretPattern {
  readonly kind: string;
  /** Global, so every occurrence is replaced. */
  readonly pattern: RegExp;
}

/**
 * Values that look like credentials. Defense in depth: callers never pass secrets on purpose, but
 * a filter, a target or a detail built from user input might carry one.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // Three base64url parts, the first one a JSON object (`{"` = `eyJ`).
  { kind: 'jwt', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  { kind: 'ci-token', pattern: /hfit_ci_[A-Za-z0-9_-]+/g },
  { kind: 'private-key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  { kind: 'bearer', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi },
];

/** What replaces a secret-looking value. */
export const SECRET_REPLACEMENT = '[secret removed]';

/** `text` with every secret-looking part replaced, and the kinds found. */
export function scrubSecrets(text: string): { readonly text: string; readonly kinds: readonly string[] } {
  const kinds: string[] = [];
  let out = text;
  for (const { kind, pattern } of SECRET_PATTERNS) {
    const replaced = out.replace(pattern, SECRET_REPLACEMENT);
    if (replaced !== out) kinds.push(kind);
    out = replaced;
  }
  return { text: out, kinds };
}
