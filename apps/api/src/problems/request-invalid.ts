import { formatPath, HfitError, zodIssueMessage } from '@hfit/contracts';
import type { ErrorDetail, PathSegment } from '@hfit/contracts';
import type { z } from 'zod';

/** The parts of a request a problem can be in; they prefix every reported field. */
export type RequestPart = 'params' | 'query' | 'headers' | 'body';

/** Issues of one part of a request, as zod reported them. */
export interface PartIssues {
  readonly part: RequestPart;
  readonly issues: readonly z.core.$ZodIssue[];
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** Every problem of `parts` as a detail naming its field (`query.limit`, `body.options.format`). */
export function requestProblems(parts: readonly PartIssues[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const { part, issues } of parts) {
    for (const issue of issues) {
      const at = [part, ...toSegments(issue.path)];
      if (issue.code === 'unrecognized_keys') {
        // One entry per unknown field, so a client can point at each of them.
        for (const key of issue.keys) out.push({ field: formatPath([...at, key]), message: `is not a known ${part === 'body' ? 'field' : 'parameter'}` });
        continue;
      }
      out.push({ field: formatPath(at), message: zodIssueMessage(issue) });
    }
  }
  return out;
}

/**
 * `REQUEST_INVALID` listing every problem; the detail quotes the first one so that a one-line
 * rendering is still useful, and `field` is set when there is exactly one.
 */
export function requestInvalid(problems: readonly ErrorDetail[]): HfitError {
  const [first] = problems;
  const firstText = first === undefined ? 'the request is invalid' : `${first.field ?? 'request'}: ${first.message}`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new HfitError('REQUEST_INVALID', `Request invalid: ${firstText}${more}`, {
    details: problems,
    ...(problems.length === 1 && first?.field !== undefined ? { field: first.field } : {}),
  });
}
