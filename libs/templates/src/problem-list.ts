import { HfitError } from '@hfit/contracts';
import type { ErrorCode, ErrorDetail } from '@hfit/contracts';
import type { z } from 'zod';
import { formatPath } from './yaml-locator.js';
import type { PathSegment, YamlLocator } from './yaml-locator.js';

/** One validation problem with the code it would have on its own. */
export interface Problem extends ErrorDetail {
  readonly code: ErrorCode;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

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
        this.add('TEMPLATE_INVALID', at, issueMessage(issue));
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

/** A readable message for one zod issue (never echoing the value). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const hint = issue.expected === 'string' && typeof issue.input === 'number' ? ': put the value in quotes' : '';
      return `must be ${expected}, not ${describeValue(issue.input)}${hint}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}
