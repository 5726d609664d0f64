import type { TargetDialect } from '../target/target-dialect.js';

/**
 * Length of the whitespace and comments a statement's text starts with, i.e. the index of its first
 * significant character (`text.length` when there is none: a comment-only "statement", which a
 * server would reject as an empty query). MySQL's executable comments (`/*!40101 …*\/`,
 * `/*M!100100 …*\/`) are significant: the server runs what they hold.
 */
export function leadingInsignificant(text: string, dialect: TargetDialect): number {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      i++;
      continue;
    }
    if (c === 0x2d /* - */ && text.charCodeAt(i + 1) === 0x2d && (dialect === 'postgres' || !(text.charCodeAt(i + 2) > 0x20))) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (c === 0x23 /* # */ && dialect === 'mysql') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
      if (dialect === 'mysql' && isMysqlExecutableComment(text, i)) return i;
      i = endOfBlockComment(text, i, dialect);
      continue;
    }
    return i;
  }
  return n;
}

/** Whether the block comment at `i` is a MySQL executable comment (`/*!…` or MariaDB's `/*M!…`). */
export function isMysqlExecutableComment(text: string, i: number): boolean {
  const c = text.charCodeAt(i + 2);
  return c === 0x21 /* ! */ || (c === 0x4d /* M */ && text.charCodeAt(i + 3) === 0x21);
}

/** Index just after the block comment opening at `i` (PostgreSQL comments nest; MySQL's do not). */
function endOfBlockComment(text: string, i: number, dialect: TargetDialect): number {
  if (dialect === 'mysql') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  const re = /\/\*|\*\//g;
  re.lastIndex = i + 2;
  let depth = 1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    depth += m[0] === '/*' ? 1 : -1;
    if (depth === 0) return re.lastIndex;
  }
  return text.length;
}
