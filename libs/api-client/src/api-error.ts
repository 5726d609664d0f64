import { ProblemSchema, problemTitle, problemType } from '@hfit/contracts';
import type { ErrorCode, Problem } from '@hfit/contracts';

/** The code a response without a problem body is reported under, by status. */
function codeForStatus(status: number): ErrorCode {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'REQUEST_INVALID',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'ROUTE_NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    406: 'NOT_ACCEPTABLE',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  };
  return byStatus[status] ?? (status >= 500 ? 'SERVICE_UNAVAILABLE' : 'REQUEST_INVALID');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Seconds from a `Retry-After` header (RFC 9110: delay-seconds or an HTTP-date, counted from
 * `now`), at least 0; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The API answered with an error. `problem` is its RFC 9457 body (`code`, `detail`, every
 * validation problem in `errors`); when the body was not a problem (a proxy's HTML error page),
 * one is made up from the status and `fromProblemBody` is false. The message is one line:
 * `CODE (HTTP status): detail`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** False when the response had no problem+json body and `problem` was derived from the status. */
  readonly fromProblemBody: boolean;
  /** `GET /v1/builds/x`: the request that failed. */
  readonly request: string;
  /**
   * Seconds to wait before trying again, from a `Retry-After` header (HTTP 429 `RATE_LIMITED`,
   * 503); undefined when the response had none.
   */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, options: { readonly request: string; readonly fromProblemBody?: boolean; readonly retryAfterSeconds?: number | undefined }) {
    super(`${problem.code} (HTTP ${problem.status}): ${oneLine(problem.detail)}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.fromProblemBody = options.fromProblemBody ?? true;
    this.request = options.request;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get code(): ErrorCode {
    return this.problem.code;
  }

  get detail(): string {
    return this.problem.detail;
  }

  /** Every problem the server listed (validation); empty when it listed none. */
  get errors(): NonNullable<Problem['errors']> {
    return this.problem.errors ?? [];
  }

  /** The id to quote when reporting the error (from the body, else the `X-Request-Id` header). */
  get requestId(): string | undefined {
    return this.problem.requestId;
  }

  /** Reads an error response (consuming its body). `request` names it in messages: `GET /v1/x`. */
  static async from(response: Response, request: string): Promise<ApiError> {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    const type = response.headers.get('content-type') ?? '';
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The body could not be read (connection cut): the status still tells what happened.
    }
    if (/json/i.test(type)) {
      try {
        const parsed = ProblemSchema.safeParse(JSON.parse(text));
        if (parsed.success) {
          const problem = parsed.data.requestId === undefined && requestId !== undefined ? { ...parsed.data, requestId } : parsed.data;
          return new ApiError(problem, { request, retryAfterSeconds });
        }
      } catch {
        // Not JSON after all: fall through to a problem made from the status.
      }
    }
    const code = codeForStatus(response.status);
    const why = response.statusText === '' ? '' : ` ${response.statusText}`;
    const problem: Problem = {
      type: problemType(code),
      title: problemTitle(code),
      status: Math.min(Math.max(response.status, 400), 599),
      detail: `${request} answered HTTP ${response.status}${why} without a problem body${type === '' ? '' : ` (${type.split(';')[0]})`}: is the base URL that of an hfit API?`,
      code,
      ...(requestId === undefined ? {} : { requestId }),
    };
    return new ApiError(problem, { request, fromProblemBody: false, retryAfterSeconds });
  }
}

/** True when `e` is an {@link ApiError} (optionally with one of `codes`). */
export function isApiError(e: unknown, ...codes: ErrorCode[]): e is ApiError {
  return e instanceof ApiError && (codes.length === 0 || codes.includes(e.code));
}
