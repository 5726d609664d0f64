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

/** The kind of a value in YAML terms, never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

/**
 * A readable message for one zod issue, written to follow the field name
 * (`sources.a.type: must be one of: mysql, postgres`).
 *
 * Built only from the schema side (expected types, allowed values, limits) and the *kind* of the
 * input, never from the input itself: config and template values may be secrets. Parse with
 * `{ reportInput: true }` so that "is required" can be told apart from a wrong type. Callers that
 * report each unknown key as a field of its own handle `unrecognized_keys` before calling this.
 */
export function zodIssueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const hint = issue.expected === 'string' && typeof issue.input === 'number' ? ': put the value in quotes' : '';
      return `must be ${expected}, not ${kindOf(issue.input)}${hint}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be at least ${issue.minimum}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return `is not a valid name: ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      // Custom issues and our regex checks carry their own fix; zod's default messages name the
      // expectation, not the value.
      return issue.message;
  }
}
