/**
 * Stable error codes. Each code maps to one problem+json type in the API (`/problems/<code>`),
 * so never rename one: add a new code instead.
 */
export const ErrorCodes = [
  'CONFIG_INVALID',
  'TEMPLATE_YAML',
  'TEMPLATE_INVALID',
  'EXPORT_TYPE_UNKNOWN',
  'EXPORT_NAME_INVALID',
  'VARIABLE_UNKNOWN',
  'INPUT_OUT_OF_RANGE',
  'SOURCE_UNKNOWN',
  'DATABASE_UNKNOWN',
  'TABLE_UNKNOWN',
  'COLUMN_UNKNOWN',
  'FILTER_REJECTED',
  'FILTER_SYNTAX',
  'QUERY_REJECTED',
  'QUERY_NO_ROW',
  'VOLUME_UNKNOWN',
  'PATH_ESCAPE',
  'FILE_NOT_FOUND',
  'GLOB_NO_MATCH',
  'FORMAT_UNSUPPORTED',
  'SOURCE_UNREACHABLE',
  'EXTRACTION_FAILED',
  'ARCHIVE_OPTIONS_INVALID',
  'ARCHIVE_FAILED',
  'STORAGE_OPTIONS_INVALID',
  'STORAGE_KEY_INVALID',
  'STORAGE_OBJECT_NOT_FOUND',
  'STORAGE_RANGE_INVALID',
  'QUEUE_OPTIONS_INVALID',
  'REDIS_POLICY_INVALID',
  'JOB_FAILED',
  'REDIS_UNREACHABLE',
  'REQUEST_INVALID',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_ACCEPTABLE',
  'BUILD_NOT_FOUND',
  'BUILD_NOT_FINISHED',
  'BUILD_CANCELLED',
  'BUILD_FINISHED',
  'IDEMPOTENCY_CONFLICT',
  'PACKAGE_NOT_FOUND',
  'ARTIFACT_MISSING',
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_EXISTS',
  'TEMPLATE_NAME_MISMATCH',
  'UPLOAD_INVALID',
  'SERVICE_UNAVAILABLE',
  /** Too many requests of one kind (login, build submission) from one user or address: see `Retry-After`. */
  'RATE_LIMITED',
  /** The user already has `api.maxConcurrentBuildsPerUser` builds queued or running. */
  'BUILD_LIMIT_REACHED',
  'USER_NOT_FOUND',
  'USER_EXISTS',
  /** A user of the server config (an `auth.admins` entry) cannot be changed through the API. */
  'USER_IMMUTABLE',
  'ROLE_UNKNOWN',
  /** A public key that cannot be parsed, of an unsupported type, or too weak. */
  'KEY_INVALID',
  'KEY_NOT_FOUND',
  'KEY_EXISTS',
  'TOKEN_NOT_FOUND',
  'TOKEN_EXISTS',
  /** A server fault with no code of its own (a bug): answered as a 500 with a generic detail. */
  'INTERNAL_ERROR',
  /** A downloaded archive does not match the sha256 of its build: it was deleted, download again. */
  'DOWNLOAD_CORRUPT',
  /** An archive entry would land outside its package folder, or is a link, device or duplicate. */
  'ARCHIVE_UNSAFE',
  /** `hfit import`: the target URL is malformed, or names a database that does not exist. */
  'IMPORT_TARGET_INVALID',
  /** `hfit import`: the package folder does not match its manifest (missing, changed or unsafe files). */
  'IMPORT_PACKAGE_INVALID',
  /** `hfit import`: a statement or row batch failed; the error names the file and statement. */
  'IMPORT_FAILED',
] as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[number];

/** Where in the input a problem was found: a dotted field path and, for YAML, a 1-based line. */
export interface ErrorLocation {
  /** Dotted path of the field, e.g. `exports.data.sql.data.table`. */
  readonly field?: string;
  /** 1-based line in the template/config YAML, when known. */
  readonly line?: number;
}

/** One problem inside an error that lists several (config and template validation). */
export interface ErrorDetail extends ErrorLocation {
  readonly message: string;
}

/**
 * Base of every error hfit raises on purpose. `code` is stable; `message` names the problem and the
 * fix; `details` lists every problem when validation found several; `permanent` tells a job runner
 * that retrying cannot help (bad input), as opposed to transient failures (network, timeouts).
 */
export class HfitError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly permanent: boolean;
  readonly field: string | undefined;
  readonly line: number | undefined;
  /** For `RATE_LIMITED`: seconds until a retry can succeed (the API's `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: readonly ErrorDetail[]; permanent?: boolean; cause?: unknown; retryAfterSeconds?: number } & ErrorLocation = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HfitError';
    this.code = code;
    this.details = options.details ?? [];
    this.permanent = options.permanent ?? code !== 'SOURCE_UNREACHABLE';
    this.field = options.field;
    this.line = options.line;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Plain-object form for logs, job results and API problem bodies (never includes secrets). */
  toJSON(): { code: ErrorCode; message: string; field?: string; line?: number; details?: ErrorDetail[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.details.length ? { details: [...this.details] } : {}),
    };
  }
}

/** Narrowing helper that also works across duplicated module instances. */
export function isHfitError(e: unknown, code?: ErrorCode): e is HfitError {
  return (
    e instanceof Error &&
    (e as Partial<HfitError>).name === 'HfitError' &&
    typeof (e as Partial<HfitError>).code === 'string' &&
    (code === undefined || (e as HfitError).code === code)
  );
}
