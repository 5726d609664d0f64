import { HfitError } from '@hfit/contracts';
import type { ErrorDetail } from '@hfit/contracts';
import type { z } from 'zod';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

/**
 * A readable message for one zod issue. Built only from the schema side (expected types, allowed
 * values, limits) and the *kind* of the input, never from the input itself: config values may be
 * secrets.
 */
export function configIssueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item(s)`;
      return `must be at least ${issue.minimum}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return `is not a valid name: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_format':
      // Our regex checks carry their own fix; zod's default would not echo the value either.
      return issue.message;
    default:
      return issue.message;
  }
}

/** Builds the CONFIG_INVALID error listing every problem, in line order. */
export function configError(where: string, problems: readonly ErrorDetail[]): HfitError {
  const sorted = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const lines = sorted.map((p) => `- ${p.field || '(top level)'}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`);
  const n = sorted.length;
  const first = sorted[0];
  return new HfitError('CONFIG_INVALID', `server config ${where} has ${n} problem${n === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
    details: sorted,
    ...(first?.field ? { field: first.field } : {}),
    ...(first?.line === undefined ? {} : { line: first.line }),
  });
}
