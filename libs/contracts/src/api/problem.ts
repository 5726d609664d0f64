import { z } from 'zod';
import type { ErrorCode } from '../hfit-error.js';
import { ErrorCodes } from '../hfit-error.js';

/** Base URI of hfit's problem types: `type` of a problem is `${PROBLEM_TYPE_BASE}<code>`. */
export const PROBLEM_TYPE_BASE = 'https://hfit.dev/problems/';

/** Media type of every API error body (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One problem inside a problem that lists several (template and request validation). */
export const ProblemDetailSchema = z.object({
  message: z.string(),
  field: z.string().optional(),
  line: z.number().int().optional(),
});

/**
 * An RFC 9457 problem+json body. `code` is hfit's stable error code (also the last segment of
 * `type`), `errors` lists every problem when validation found several, `requestId` matches the
 * `X-Request-Id` response header and the server logs.
 */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.enum(ErrorCodes),
  field: z.string().optional(),
  line: z.number().int().optional(),
  errors: z.array(ProblemDetailSchema).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** HTTP status and short title per code; codes not listed are server-side failures (500). */
const STATUS: Partial<Record<ErrorCode, readonly [number, string]>> = {
  CONFIG_INVALID: [500, 'Server configuration invalid'],
  TEMPLATE_YAML: [422, 'Template is not valid YAML'],
  TEMPLATE_INVALID: [422, 'Template invalid'],
  EXPORT_TYPE_UNKNOWN: [422, 'Unknown export type'],
  EXPORT_NAME_INVALID: [422, 'Export name invalid'],
  VARIABLE_UNKNOWN: [422, 'Unknown variable'],
  INPUT_OUT_OF_RANGE: [422, 'Missing template argument'],
  SOURCE_UNKNOWN: [422, 'Unknown source'],
  DATABASE_UNKNOWN: [422, 'Unknown database'],
  TABLE_UNKNOWN: [422, 'Unknown table'],
  COLUMN_UNKNOWN: [422, 'Unknown column'],
  FILTER_REJECTED: [422, 'Filter rejected'],
  FILTER_SYNTAX: [422, 'Filter syntax error'],
  QUERY_REJECTED: [422, 'Query rejected'],
  QUERY_NO_ROW: [422, 'Query returned no row'],
  VOLUME_UNKNOWN: [422, 'Unknown volume'],
  PATH_ESCAPE: [422, 'Path outside the volume'],
  FILE_NOT_FOUND: [404, 'File not found'],
  GLOB_NO_MATCH: [422, 'No file matches'],
  FORMAT_UNSUPPORTED: [422, 'Format unsupported'],
  SOURCE_UNREACHABLE: [503, 'Source database unreachable'],
  STORAGE_KEY_INVALID: [400, 'Storage key invalid'],
  STORAGE_OBJECT_NOT_FOUND: [404, 'Object not found'],
  STORAGE_RANGE_INVALID: [416, 'Range not satisfiable'],
  REDIS_UNREACHABLE: [503, 'Queue unavailable'],
  REQUEST_INVALID: [400, 'Request invalid'],
  UNAUTHENTICATED: [401, 'Authentication required'],
  FORBIDDEN: [403, 'Forbidden'],
  ROUTE_NOT_FOUND: [404, 'No such endpoint'],
  METHOD_NOT_ALLOWED: [405, 'Method not allowed'],
  PAYLOAD_TOO_LARGE: [413, 'Request body too large'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported media type'],
  NOT_ACCEPTABLE: [406, 'Not acceptable'],
  BUILD_NOT_FOUND: [404, 'Build not found'],
  BUILD_NOT_FINISHED: [409, 'Build not finished'],
  BUILD_CANCELLED: [409, 'Build cancelled'],
  BUILD_FINISHED: [409, 'Build already finished'],
  IDEMPOTENCY_CONFLICT: [409, 'Idempotency key reused with another request'],
  PACKAGE_NOT_FOUND: [404, 'Package not found'],
  ARTIFACT_MISSING: [410, 'Artifact no longer stored'],
  TEMPLATE_NOT_FOUND: [404, 'Template not found'],
  TEMPLATE_EXISTS: [409, 'Template already exists'],
  TEMPLATE_NAME_MISMATCH: [422, 'Template name mismatch'],
  UPLOAD_INVALID: [400, 'Upload invalid'],
  SERVICE_UNAVAILABLE: [503, 'Service unavailable'],
  RATE_LIMITED: [429, 'Too many requests'],
  BUILD_LIMIT_REACHED: [429, 'Too many builds in progress'],
  USER_NOT_FOUND: [404, 'User not found'],
  USER_EXISTS: [409, 'User already exists'],
  USER_IMMUTABLE: [409, 'User defined in the server config'],
  ROLE_UNKNOWN: [422, 'Unknown role'],
  KEY_INVALID: [422, 'Public key invalid'],
  KEY_NOT_FOUND: [404, 'Key not found'],
  KEY_EXISTS: [409, 'Key already registered'],
  TOKEN_NOT_FOUND: [404, 'Token not found'],
  TOKEN_EXISTS: [409, 'Token name in use'],
  DOWNLOAD_CORRUPT: [502, 'Download corrupt'],
  ARCHIVE_UNSAFE: [422, 'Unsafe archive'],
  IMPORT_TARGET_INVALID: [400, 'Import target invalid'],
  IMPORT_PACKAGE_INVALID: [422, 'Package does not match its manifest'],
  IMPORT_FAILED: [422, 'Import failed'],
};

/** The HTTP status an error code is answered with (500 for codes that mean a server fault). */
export function problemStatus(code: ErrorCode): number {
  return STATUS[code]?.[0] ?? 500;
}

/** Short human title of an error code's problem type. */
export function problemTitle(code: ErrorCode): string {
  return STATUS[code]?.[1] ?? 'Internal error';
}

/** The `type` URI of an error code. */
export function problemType(code: ErrorCode): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}
