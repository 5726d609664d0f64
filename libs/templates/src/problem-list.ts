import { HfitError, formatPath, zodIssueMessage } from '@hfit/contracts';
import type { ErrorCode, ErrorDetail, PathSegment } from '@hfit/contracts';
import type { YamlLocator } from '@hfit/contracts/yaml';
import type { z } from 'zod';

/** One validation problem with the code it would have on its own. */
export interface Problem extends ErrorDetail {
  readonly code: ErrorCode;
}

/**
 * Collects every problem found while validating a template, each with its field path and YAML line,
 * and turns them into one `HfitError`.
 */
export class ProblemList {
  readonly problems: Problem[] = [];

  constructor(private readonly locator: YamlLocator) {}

  /** Adds a problem at `path` (the line is looked up from the YAML). */
  add(code: ErrorCode, path: readonly PathSegment[], message: string): void {
    const line = this.locator.lineOf(path);
    this.problems.push({ code, field: formatPath(path), message, ...(line === undefined ? {} : { line }) });
  }

  /**
   * Validates `value` (found at `path`) with `schema`, recording every issue.
   * @param allowedKeys listed in "unknown field" messages when `schema` is a strict object.
   * @returns the parsed value, or `undefined` if there were issues.
   */
  check<T>(schema: z.ZodType<T>, value: unknown, path: readonly PathSegment[], allowedKeys?: readonly string[]): T | undefined {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const at = [...path, ...(issue.path as PathSegment[])];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          this.add(
            'TEMPLATE_INVALID',
            [...at, key],
            `unknown field "${key}"${allowedKeys ? `; expected one of: ${allowedKeys.join(', ')}` : ''}`,
          );
        }
      } else {
        this.add('TEMPLATE_INVALID', at, zodIssueMessage(issue));
      }
    }
    return undefined;
  }

  /**
   * The error to throw, or `undefined` when nothing was found. Its code is the code shared by every
   * problem (e.g. EXPORT_TYPE_UNKNOWN when that is the only kind), otherwise TEMPLATE_INVALID; its
   * message lists every problem in line order; `details` holds them with field and line.
   */
  toError(what = 'template'): HfitError | undefined {
    // In reading order; problems without a line keep their place at the end.
    const problems = [...this.problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const first = problems[0];
    if (!first) return undefined;
    const code = problems.every((p) => p.code === first.code) ? first.code : 'TEMPLATE_INVALID';
    const lines = problems.map(
      (p) => `- ${p.field || '(top level)'}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`,
    );
    const count = problems.length;
    return new HfitError(code, `${what} has ${count} problem${count === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
      details: problems.map(({ code: _code, ...detail }) => detail),
      ...(first.field ? { field: first.field } : {}),
      ...(first.line === undefined ? {} : { line: first.line }),
    });
  }
}
