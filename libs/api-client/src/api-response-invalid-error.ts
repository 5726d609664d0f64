import type { z } from 'zod';

/**
 * The API answered with a success status but a body this client does not understand: usually a
 * client and server of incompatible versions, or a base URL that is not an hfit API.
 */
export class ApiResponseInvalidError extends Error {
  readonly status: number;
  /** Where the body differs from the expected schema: `path: message`. */
  readonly problems: readonly string[];

  constructor(request: string, status: number, issues: readonly z.core.$ZodIssue[] | string) {
    const problems = typeof issues === 'string' ? [issues] : issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`Unexpected answer to ${request} (HTTP ${status}): ${problems[0] ?? 'invalid body'}${more}; are the client and the server of compatible versions?`);
    this.name = 'ApiResponseInvalidError';
    this.status = status;
    this.problems = problems;
  }
}
