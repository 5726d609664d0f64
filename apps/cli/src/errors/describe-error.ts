import { ApiError, ApiUnreachableError } from '@hfit/api-client';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { CliError } from './cli-error.js';

/** How a failure is shown: one line, a few more (problems, hint), an exit code and the `--json` form. */
export interface ErrorReport {
  readonly message: string;
  readonly code: string | undefined;
  readonly exitCode: ExitCodeValue;
  /** What to do next, one line. */
  readonly hint: string | undefined;
  /** Every problem the failure lists (template validation, import failure), each with its field and line when known. */
  readonly problems: readonly Problem[];
  /** More machine-readable facts for `--json`. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** The hint shown when the API refused the token (HTTP 401). */
export const TOKEN_HINT = 'the token was rejected or has expired: run `hfit login` (CI: set HFIT_TOKEN)';

/** Codes of errors that mean "what you got is not what the server published". */
const VERIFICATION_CODES = new Set(['DOWNLOAD_CORRUPT', 'ARCHIVE_UNSAFE', 'IMPORT_PACKAGE_INVALID']);

/** Codes of errors that mean "the command was given something unusable". */
const USAGE_CODES = new Set(['IMPORT_TARGET_INVALID']);

/** One problem listed under an error. */
export interface Problem {
  readonly message: string;
  readonly field?: string | undefined;
  readonly line?: number | undefined;
}

/** Only the fields of a problem (details may carry more), without undefined ones. */
function problemOf(p: Problem): Problem {
  return { message: p.message, ...(p.field === undefined ? {} : { field: p.field }), ...(p.line === undefined ? {} : { line: p.line }) };
}

/** `field, line 3: message`, the way problems are listed under an error. */
export function formatProblem(p: Problem): string {
  const where = [p.field, p.line === undefined ? undefined : `line ${p.line}`].filter((x) => x !== undefined && x !== '').join(', ');
  return where === '' ? p.message : `${where}: ${p.message}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True for oclif's own usage errors (unknown flag, missing argument): they carry exit code 2. */
function oclifExit(err: unknown): number | undefined {
  const exit = (err as { oclif?: { exit?: unknown } } | null)?.oclif?.exit;
  return typeof exit === 'number' ? exit : undefined;
}

/** Reads any thrown value into an {@link ErrorReport}. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof CliError) {
    const { problems, ...data } = err.data;
    return { message: err.message, code: err.code, exitCode: err.exitCode, hint: err.hint, problems: Array.isArray(problems) ? (problems as Problem[]).map(problemOf) : [], data };
  }
  if (err instanceof ApiError) {
    const problem = err.problem;
    return {
      message: oneLine(problem.detail),
      code: problem.code,
      exitCode: ExitCode.general,
      hint: err.status === 401 ? TOKEN_HINT : undefined,
      problems: (problem.errors ?? []).map(problemOf),
      data: { status: problem.status, ...(problem.requestId === undefined ? {} : { requestId: problem.requestId }) },
    };
  }
  if (err instanceof ApiUnreachableError) {
    return {
      message: err.message,
      code: 'API_UNREACHABLE',
      exitCode: ExitCode.general,
      hint: 'check the server URL (`hfit config get server`, HFIT_SERVER) and that the API is running',
      problems: [],
      data: { origin: err.origin },
    };
  }
  const exit = oclifExit(err);
  if (exit !== undefined && err instanceof Error) {
    // oclif's parser errors: several lines ending with "See more help with --help".
    const lines = err.message.split('\n').filter((l) => l.trim() !== '' && !/See more help with --help/.test(l));
    return { message: lines.join(' ').replace(/\s+/g, ' ').trim(), code: 'USAGE', exitCode: exit === 2 ? ExitCode.usage : ExitCode.general, hint: 'see `--help`', problems: [], data: {} };
  }
  if (err instanceof Error) {
    const rawCode: unknown = (err as Error & { code?: unknown }).code;
    const code = typeof rawCode === 'string' ? rawCode : undefined;
    const details = (err as { details?: unknown }).details;
    const problems = Array.isArray(details) ? (details as Problem[]).filter((d) => typeof d?.message === 'string').map(problemOf) : [];
    const exitCode =
      code === undefined ? ExitCode.general : VERIFICATION_CODES.has(code) ? ExitCode.verificationFailed : USAGE_CODES.has(code) ? ExitCode.usage : ExitCode.general;
    return { message: oneLine(err.message), code, exitCode, hint: undefined, problems, data: {} };
  }
  return { message: String(err), code: undefined, exitCode: ExitCode.general, hint: undefined, problems: [], data: {} };
}
