/** Claims of an hfit login token (RFC 7519 registered names). */
export interface JwtClaims {
  readonly iss: string;
  readonly aud: string;
  /** The user. */
  readonly sub: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** Unique id (logout puts it on the deny-list). */
  readonly jti: string;
  /** Token generation (private claim): must be the current one, which a Redis loss renews. */
  readonly gen?: string;
}
