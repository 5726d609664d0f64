import { HfitError, isHfitError, problemStatus, problemTitle, problemType } from '@hfit/contracts';
import type { ErrorCode, Problem } from '@hfit/contracts';

/** What the problem handler answers for an error. */
export interface MappedProblem {
  readonly status: number;
  /** The body without `instance` and `requestId`, which belong to the request. */
  readonly problem: Omit<Problem, 'instance' | 'requestId'>;
  /** True for server faults: log the error with its stack; the client only sees a generic detail. */
  readonly unexpected: boolean;
}

const GENERIC_DETAIL = 'An unexpected error occurred on the server; it was logged. Quote the request id when you report it';

/** The shape of errors raised by body-parser and Express internals (`http-errors`). */
interface HttpLikeError {
  readonly status: number;
  readonly type?: unknown;
  readonly expose?: unknown;
  readonly message: string;
  readonly limit?: unknown;
  readonly charset?: unknown;
  readonly encoding?: unknown;
}

function isHttpLikeError(e: unknown): e is HttpLikeError {
  return e instanceof Error && typeof (e as { status?: unknown }).status === 'number';
}

function fromHfitError(e: HfitError): MappedProblem {
  const status = problemStatus(e.code);
  const unexpected = status >= 500 && status !== 503;
  return {
    status,
    unexpected,
    problem: {
      type: problemType(e.code),
      title: problemTitle(e.code),
      status,
      // A 500 code means a server fault: its message is for the log, not the client.
      detail: unexpected ? GENERIC_DETAIL : e.message,
      code: e.code,
      ...(unexpected || e.field === undefined ? {} : { field: e.field }),
      ...(unexpected || e.line === undefined ? {} : { line: e.line }),
      ...(unexpected || e.details.length === 0 ? {} : { errors: e.details.map((d) => ({ ...d })) }),
    },
  };
}

function simple(code: ErrorCode, detail: string, field?: string): MappedProblem {
  return fromHfitError(new HfitError(code, detail, field === undefined ? {} : { field }));
}

/**
 * Maps body-parser's errors (told apart by `type`) without echoing the body: the JSON parser's
 * own message quotes the input, which may hold secrets.
 */
function fromHttpError(e: HttpLikeError): MappedProblem | undefined {
  switch (e.type) {
    case 'entity.too.large':
      return simple('PAYLOAD_TOO_LARGE', `The request body is larger than this server accepts (${String(e.limit)} bytes, api.bodyLimitBytes)`);
    case 'entity.parse.failed': {
      const at = /position (\d+)/.exec(e.message)?.[1];
      return simple('REQUEST_INVALID', `The request body is not valid JSON${at === undefined ? '' : ` (error at character ${at})`}`, 'body');
    }
    case 'charset.unsupported':
      return simple('UNSUPPORTED_MEDIA_TYPE', `Charset ${JSON.stringify(String(e.charset))} is not supported: send UTF-8`);
    case 'encoding.unsupported':
      return simple('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${JSON.stringify(String(e.encoding))} is not supported: send identity, gzip, deflate or br`);
    case 'request.aborted':
      return simple('REQUEST_INVALID', 'The request was aborted before its body was received');
    case 'request.size.invalid':
      return simple('REQUEST_INVALID', 'The request body is not as long as its Content-Length says');
    default:
      break;
  }
  // The router's URIError for a path parameter with a malformed %-escape carries status 400.
  if (e instanceof URIError && e.status === 400) return simple('REQUEST_INVALID', 'The URL path has a malformed %-escape', 'params');
  if (e.status >= 400 && e.status < 500 && e.expose === true) {
    // Other http-errors that are meant to be shown.
    const byStatus: Partial<Record<number, ErrorCode>> = { 404: 'ROUTE_NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 406: 'NOT_ACCEPTABLE', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
    return simple(byStatus[e.status] ?? 'REQUEST_INVALID', e.message);
  }
  return undefined;
}

/**
 * The RFC 9457 problem an error is answered with: an `HfitError` by its code (`problemStatus`),
 * body-parser and Express errors by their kind, anything else as a 500 with a generic detail
 * (never the message or stack, which may carry internals or secrets).
 */
export function problemFromError(e: unknown): MappedProblem {
  if (isHfitError(e)) return fromHfitError(e);
  if (isHttpLikeError(e)) {
    const mapped = fromHttpError(e);
    if (mapped !== undefined) return mapped;
  }
  return simple('INTERNAL_ERROR', 'unexpected error');
}
