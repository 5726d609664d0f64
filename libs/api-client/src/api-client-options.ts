/** Options of `createApiClient`. */
export interface ApiClientOptions {
  /** Where the API is, e.g. `https://hfit.internal:8080` (a path prefix such as `/hfit/` is kept). */
  readonly baseUrl: string | URL;
  /** API token, sent as `Authorization: Bearer <token>`; without it only health calls work. */
  readonly token?: string | undefined;
  /** The fetch to use (default: the global one), e.g. one with a proxy dispatcher. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** `User-Agent` of every request (default `hfit-api-client`), e.g. `hfit-cli/1.2.0`. */
  readonly userAgent?: string | undefined;
}
