import type { TargetDialect } from '../target/target-dialect.js';
import { isMysqlExecutableComment, leadingInsignificant } from './leading-insignificant.js';

/** Characters of a statement looked at to find its leading words. */
const HEAD_CHARS = 240;
const WORD = /[A-Za-z_@][\w@.$]*/g;

/**
 * The first `count` words of a statement, upper-cased, after leading comments (and, on MySQL,
 * after the `/*!NNNNN` opening of an executable comment, whose content is the statement):
 * `/*!40101 SET NAMES utf8mb4 *\/` gives `['SET', 'NAMES']`. Words are identifier-like runs
 * (`@@GLOBAL.X` is one word); quoted names and literals are not words.
 */
export function statementHead(text: string, dialect: TargetDialect, count = 3): string[] {
  let start = leadingInsignificant(text, dialect);
  if (dialect === 'mysql' && isMysqlExecutableComment(text, start)) {
    start += text.charCodeAt(start + 2) === 0x21 ? 3 : 4;
    while (start < text.length && text.charCodeAt(start) >= 0x30 && text.charCodeAt(start) <= 0x39) start++;
  }
  const words: string[] = [];
  const head = text.slice(start, start + HEAD_CHARS);
  // Only words before the first quote: `INSERT INTO "a"` must not read words out of the name.
  const unquoted = head.split(/['"`]/, 1)[0] ?? '';
  for (const m of unquoted.matchAll(WORD)) {
    words.push(m[0].toUpperCase());
    if (words.length === count) break;
  }
  return words;
}

/** Whether a PostgreSQL statement is `COPY … FROM STDIN` (its data follows in the script). */
export function isCopyFromStdin(text: string): boolean {
  return statementHead(text, 'postgres', 1)[0] === 'COPY' && /\bFROM\s+STDIN\b/i.test(text);
}
