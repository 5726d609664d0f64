import type { SourceType } from '../connection/source-connection.js';
import { filterRejected, filterSyntax } from './filter-errors.js';
import { readStringLiteral, StringLiteralError } from './string-literal.js';

/** Operators and punctuation a filter may contain. */
export type FilterSymbol = '=' | '<>' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '(' | ')' | ',' | '.';

/**
 * One lexical token of a filter. `start`/`end` are offsets in the filter text as the user wrote it.
 * Strings are already decoded (their value is what the server would have seen); quoted identifiers
 * are unquoted.
 */
export type FilterToken =
  | { readonly kind: 'word'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly quote: "'" | '"'; readonly start: number; readonly end: number }
  | { readonly kind: 'number'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'symbol'; readonly text: FilterSymbol; readonly start: number; readonly end: number };

/** Deeper nesting than this is refused: no real filter needs it, and the parser recurses per level. */
export const MAX_FILTER_DEPTH = 32;
/** Longer filters are refused before parsing (the parser's cost grows with the text). */
export const MAX_FILTER_LENGTH = 20_000;

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const SPACE = /[ \t\r\n\f]/;
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;

/**
 * Splits a filter into tokens, per the source's dialect, and rejects — before any parser sees the
 * text — everything that has no business in a filter or that a parser might silently drop:
 * comments (`--`, `#`, `/* *\/`), `;`, variables (`@x`, `@@x`), parameters (`?`, `$1`, `:x`),
 * `::` casts, `:=`, dollar quoting, string prefixes other than `N'…'`/`E'…'`, hex/bit literals,
 * and any character outside string literals that is not part of the small filter grammar
 * (unicode quotes, `|`, `&`, `^`, `~`, `%`, `[`, `\`, …).
 */
export function tokenizeFilter(text: string, dialect: SourceType, field?: string): FilterToken[] {
  if (text.length > MAX_FILTER_LENGTH)
    throw filterRejected(`a filter of ${text.length} characters`, field, `keep filters under ${MAX_FILTER_LENGTH} characters`);
  const tokens: FilterToken[] = [];
  const at = (i: number) => ` (at character ${i + 1})`;
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    // Comments first: a parser may drop them silently, hiding whatever follows.
    if ((c === '-' && next === '-') || (c === '/' && next === '*') || (c === '*' && next === '/'))
      throw filterRejected(`comment "${c}${next}"${at(i)}`, field, 'filters cannot contain comments');
    if (c === '#')
      throw filterRejected(
        dialect === 'mysql' ? `comment "#"${at(i)}` : `operator "#"${at(i)}`,
        field,
        dialect === 'mysql' ? 'filters cannot contain comments' : undefined,
      );
    if (c === ';') throw filterRejected(`";" (multiple statements)${at(i)}`, field, 'a filter is one condition, not statements');
    if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      const quote = text[j];
      if (quote === "'" || (quote === '"' && dialect === 'mysql')) {
        // A word glued to a quote is a string prefix: N'…' (both), E'…' (PostgreSQL escapes).
        const upper = word.toUpperCase();
        const escape = dialect === 'postgres' && upper === 'E';
        if (upper !== 'N' && !escape)
          throw filterRejected(
            word.startsWith('_') ? `character set introducer "${word}"${at(i)}` : `string prefix ${word}'…'${at(i)}`,
            field,
            "write a plain '…' string literal",
          );
        tokens.push(readString(text, j, dialect, escape, i, field));
        i = tokens[tokens.length - 1]!.end;
        continue;
      }
      tokens.push({ kind: 'word', text: word, start: i, end: j });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      if (c === '0' && next !== undefined && /[xXbB]/.test(next) && text[i + 2] !== undefined && /[0-9A-Fa-f]/.test(text[i + 2]!))
        throw filterRejected(`hex/bit literal "${text.slice(i, i + 12)}"${at(i)}`, field, 'write numbers in decimal');
      const m = NUMBER.exec(text.slice(i)) as RegExpExecArray;
      const end = i + m[0].length;
      const after = text[end];
      if (after !== undefined && (WORD_PART.test(after) || after === '.' || after === "'" || after === '"'))
        throw filterSyntax(`malformed number "${text.slice(i, end + 1)}"`, field, i + 1);
      tokens.push({ kind: 'number', text: m[0], start: i, end });
      i = end;
      continue;
    }
    if (c === "'" || (c === '"' && dialect === 'mysql')) {
      tokens.push(readString(text, i, dialect, false, i, field));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if ((c === '`' && dialect === 'mysql') || (c === '"' && dialect === 'postgres')) {
      let name = '';
      let j = i + 1;
      // Doubled quote inside a quoted identifier stands for the quote itself, in both dialects.
      for (;;) {
        const k = text.indexOf(c, j);
        if (k < 0) throw filterSyntax(`unterminated quoted identifier (missing closing ${c})`, field, i + 1);
        name += text.slice(j, k);
        if (text[k + 1] === c) {
          name += c;
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      if (name === '') throw filterSyntax('empty quoted identifier', field, i + 1);
      tokens.push({ kind: 'identifier', name, start: i, end: j });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<=' && text[i + 2] === '>') throw filterRejected(`operator "<=>"${at(i)}`, field);
    if (two === '<>' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'symbol', text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (two === '<<' || two === '>>' || two === '||' || two === '&&' || two === '->' || two === '!!')
      throw filterRejected(`operator "${two}"${at(i)}`, field);
    if ('=<>+-*/(),.'.includes(c)) {
      if (c === '(' && ++depth > MAX_FILTER_DEPTH)
        throw filterRejected(`nesting deeper than ${MAX_FILTER_DEPTH} parentheses`, field, 'simplify the filter');
      if (c === ')') depth--;
      tokens.push({ kind: 'symbol', text: c as FilterSymbol, start: i, end: i + 1 });
      i++;
      continue;
    }
    throw rejectCharacter(text, i, dialect, field);
  }
  return tokens;
}

function readString(text: string, quoteAt: number, dialect: SourceType, escape: boolean, start: number, field: string | undefined): FilterToken {
  try {
    const r = readStringLiteral(text, quoteAt, dialect, escape);
    return { kind: 'string', value: r.value, quote: text[quoteAt] === '"' ? '"' : "'", start, end: r.end };
  } catch (e) {
    if (e instanceof StringLiteralError) throw filterSyntax(e.message, field, e.offset + 1, text.slice(e.offset, e.offset + 20));
    throw e;
  }
}

/** Names the character (and what it usually means in SQL) that a filter may not contain. */
function rejectCharacter(text: string, i: number, dialect: SourceType, field: string | undefined) {
  const c = text[i] as string;
  const rest = text.slice(i + 1);
  const word = /^[A-Za-z0-9_$.]*/.exec(rest)?.[0] ?? '';
  const at = ` (at character ${i + 1})`;
  switch (c) {
    case '@':
      return filterRejected(`variable ${rest.startsWith('@') ? `@@${/^@[A-Za-z0-9_$.]*/.exec(rest)?.[0].slice(1) ?? ''}` : `@${word}`}${at}`, field);
    case ':':
      if (rest.startsWith(':')) return filterRejected(`cast "::${/^:\s*([A-Za-z0-9_.]*)/.exec(rest)?.[1] ?? ''}"${at}`, field);
      if (rest.startsWith('=')) return filterRejected(`assignment ":="${at}`, field);
      return filterRejected(`parameter ":${word}"${at}`, field);
    case '?':
      return filterRejected(`parameter "?"${at}`, field);
    case '$':
      if (dialect === 'postgres' && /^[0-9]/.test(rest)) return filterRejected(`parameter "$${word}"${at}`, field);
      return filterRejected(`dollar-quoted string or "$"${at}`, field, "write a plain '…' string literal");
    case '`':
      return filterRejected(`backtick quoting${at}`, field, 'PostgreSQL quotes identifiers with "…"');
    case '\\':
      return filterRejected(`backslash outside a string literal${at}`, field);
    case '[':
    case ']':
      return filterRejected(`array subscript "${c}"${at}`, field);
    case '!':
      return filterRejected(`operator "!"${at}`, field, 'write NOT or <>');
    default: {
      const cp = c.codePointAt(0) ?? 0;
      if (cp > 0x7f) {
        const ch = String.fromCodePoint(text.codePointAt(i) ?? cp);
        const code = `U+${(text.codePointAt(i) ?? cp).toString(16).toUpperCase().padStart(4, '0')}`;
        return filterRejected(
          `character "${ch}" (${code}) outside a string literal${at}`,
          field,
          "quote strings with plain ' and identifiers with ` (MySQL) or \" (PostgreSQL)",
        );
      }
      if (cp < 0x20 || cp === 0x7f) return filterRejected(`control character U+${cp.toString(16).padStart(4, '0')}${at}`, field);
      return filterRejected(`operator "${c}"${at}`, field);
    }
  }
}
