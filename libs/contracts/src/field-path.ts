/** One step of a path into parsed YAML or JSON: a map key or a sequence index. */
export type PathSegment = string | number;

/**
 * Formats a path the way `ErrorLocation.field` shows it: keys joined with `.`, indices as
 * `[i]` (`prepare[1].hdata.query`, `exports.data.sql.data.table`).
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}
