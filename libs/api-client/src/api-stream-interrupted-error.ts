/**
 * A streamed answer (NDJSON rows or file entries) stopped before its end: the server cut it after
 * a failure on its side (its log has the cause under the request id), or the connection broke.
 * The items received before were complete and valid; the list is not.
 */
export class ApiStreamInterruptedError extends Error {
  /** Items received before the stream stopped. */
  readonly received: number;
  /** The `X-Request-Id` of the response, to find the server's side of it. */
  readonly requestId: string | undefined;

  constructor(request: string, received: number, requestId: string | undefined, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`The answer to ${request} was cut after ${received} item${received === 1 ? '' : 's'} (${why})${requestId === undefined ? '' : `; request id ${requestId}`}`, { cause });
    this.name = 'ApiStreamInterruptedError';
    this.received = received;
    this.requestId = requestId;
  }
}
