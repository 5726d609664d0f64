/**
 * The request never got an answer: DNS, connection refused, TLS, reset. Retrying later may help.
 * (An abort through a caller's `AbortSignal` is rethrown as is, never wrapped in this.)
 */
export class ApiUnreachableError extends Error {
  /** The API's origin, e.g. `https://hfit.internal:8080`. */
  readonly origin: string;

  constructor(origin: string, request: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`Cannot reach the hfit API at ${origin} (${request}): ${why}`, { cause });
    this.name = 'ApiUnreachableError';
    this.origin = origin;
  }
}
