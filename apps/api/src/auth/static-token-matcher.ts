import { createHash, timingSafeEqual } from 'node:crypto';

/** A configured static token: `auth.tokens[]` of the server config. */
export interface StaticToken {
  readonly user: string;
  readonly token: string;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Finds the user of a presented token in constant time. Tokens are compared as SHA-256 digests
 * (equal lengths, so `timingSafeEqual` applies whatever the presented length) and every configured
 * token is compared on every call, so the time taken reveals neither a matching prefix nor which
 * entry matched.
 */
export class StaticTokenMatcher {
  private readonly entries: readonly { readonly user: string; readonly digest: Buffer }[];

  constructor(tokens: readonly StaticToken[]) {
    this.entries = tokens.map((t) => ({ user: t.user, digest: digest(t.token) }));
  }

  /** The user the token belongs to, or `undefined`. */
  match(presented: string): string | undefined {
    const d = digest(presented);
    let found: string | undefined;
    for (const entry of this.entries) {
      // No early exit: the loop always runs over every entry.
      if (timingSafeEqual(entry.digest, d) && found === undefined) found = entry.user;
    }
    return found;
  }
}
