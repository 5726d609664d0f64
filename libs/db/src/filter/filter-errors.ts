import { HfitError } from '@hfit/contracts';
import { FILTER_FUNCTION_LIST } from './filter-functions.js';

/** What a filter may contain, appended to rejections so the message also says how to fix it. */
const ALLOWED =
  'a filter may only use columns of the exported table, constants, comparisons, AND/OR/NOT, IN (…), ' +
  `BETWEEN, LIKE, IS [NOT] NULL, + - * / and the functions ${FILTER_FUNCTION_LIST}`;

/**
 * `FILTER_REJECTED`: the filter parses but uses something hfit does not allow. `part` names the
 * offending construct (`function "sleep"`, `subquery`, `UNION`, `comment`, …) and always leads the
 * message so callers and tests can rely on it.
 */
export function filterRejected(part: string, field: string | undefined, hint = ALLOWED): HfitError {
  return new HfitError('FILTER_REJECTED', `filter rejected: ${part} is not allowed; ${hint}`, field === undefined ? {} : { field });
}

/** `FILTER_SYNTAX`: the filter is not valid SQL (position is 1-based in the filter text). */
export function filterSyntax(problem: string, field: string | undefined, position?: number, near?: string): HfitError {
  const where = position === undefined ? '' : ` at character ${position}${near ? ` (near "${near}")` : ''}`;
  return new HfitError('FILTER_SYNTAX', `filter syntax error${where}: ${problem}`, field === undefined ? {} : { field });
}
