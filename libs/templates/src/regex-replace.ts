import type { RegexReplace } from './template-model.js';

/** Flags accepted after the closing delimiter; `g` is implied and also accepted. */
const FLAGS = /^[gimsu]*$/;

/**
 * Parses `regex_replace` in sed form `/pattern/replacement/flags`. The first character is the
 * delimiter (usually `/`); a backslash before the delimiter includes it literally.
 * @returns the parsed form, or a string describing the problem.
 */
export function parseRegexReplace(source: string): RegexReplace | string {
  const delimiter = source[0];
  if (delimiter === undefined || /[A-Za-z0-9\\\s]/.test(delimiter)) {
    return 'must look like "/pattern/replacement/" (optionally followed by flags i, m, s, u)';
  }
  const fields: string[] = [];
  let current = '';
  let i = 1;
  for (; i < source.length && fields.length < 2; i++) {
    const c = source[i]!;
    if (c === '\\' && source[i + 1] === delimiter) {
      current += delimiter;
      i++;
    } else if (c === delimiter) {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (fields.length < 2) {
    return `must have three "${delimiter}" delimiters, like "${delimiter}pattern${delimiter}replacement${delimiter}"`;
  }
  const flags = source.slice(i);
  if (!FLAGS.test(flags)) return `has unsupported flags "${flags}": use only i, m, s, u`;
  const [pattern, replacement] = fields as [string, string];
  const cleanFlags = [...new Set(flags.replace(/g/g, ''))].join('');
  try {
    new RegExp(pattern, `${cleanFlags}g`);
  } catch (e) {
    return `has an invalid pattern: ${(e as Error).message}`;
  }
  return { source, pattern, replacement, flags: cleanFlags };
}

/** Applies a parsed `regex_replace` to a file name: every match is replaced (as the original did). */
export function applyRegexReplace(value: string, spec: RegexReplace): string {
  return value.replace(new RegExp(spec.pattern, `${spec.flags}g`), spec.replacement);
}
