import type { TargetDialect } from '../target/target-dialect.js';
import { leadingInsignificant } from './leading-insignificant.js';
import { isCopyFromStdin } from './statement-head.js';

/** One piece of an SQL script, in file order. */
export type ScriptEvent =
  /**
   * A statement without its terminating `;`, leading comments or trailing whitespace. `line`: the
   * 1-based line of its first significant character. `copy`: a PostgreSQL `COPY … FROM STDIN`,
   * whose data follows as `copy-data` events and a `copy-end`.
   */
  | { readonly type: 'statement'; readonly text: string; readonly line: number; readonly copy: boolean }
  /** Raw COPY text-format data (whole and partial lines); `rows`: line ends it holds. */
  | { readonly type: 'copy-data'; readonly text: string; readonly rows: number }
  /** The `\.` line that ends COPY data (or the end of the file). */
  | { readonly type: 'copy-end' };

const NORMAL = 0;
const QUOTED = 1;
const LINE_COMMENT = 2;
const BLOCK_COMMENT = 3;
const DOLLAR = 4;
const COPY_DATA = 5;

const SEMICOLON = 0x3b;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const HASH = 0x23;
const DOLLAR_SIGN = 0x24;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** Characters that may change the lexical state outside quotes and comments. */
const SPECIAL: Readonly<Record<TargetDialect, RegExp>> = {
  mysql: /['"`#\-/;]/g,
  postgres: /['"\-/;$]/g,
};
/** `$tag$` opening a dollar-quoted body (the tag may be empty). */
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;
/** What may still become a dollar tag once more text arrives. */
const DOLLAR_PREFIX = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?$/y;

/** Search patterns of the end of a quoted run: the quote itself, or a backslash where it escapes. */
function quoteEndPattern(quote: number, backslash: boolean): RegExp {
  const q = String.fromCharCode(quote);
  return new RegExp(backslash ? `[${q}\\\\]` : q, 'g');
}
const QUOTE_PATTERNS = new Map<string, RegExp>();

function isIdentifierChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === DOLLAR_SIGN || c >= 0x80
  );
}

function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits an SQL script into statements as it streams in, with the lexical rules of the dialect the
 * hfit writers (and mysqldump / pg_dump) produce:
 *
 * - MySQL/MariaDB: `'…'` and `"…"` strings with backslash escapes and doubled quotes, `` `…` ``
 *   names, `#` and `-- ` comments (two dashes then a space or control character), `/* *\/`
 *   comments (executable `/*!…*\/` ones are kept: they are statements).
 * - PostgreSQL: standard strings (`''` doubling, backslash literal), `E'…'` with backslash escapes,
 *   `"…"` names, `--` and nested `/* *\/` comments, dollar-quoted bodies (`$tag$…$tag$`), and
 *   `COPY … FROM STDIN;` followed by its data up to a `\.` line, as psql reads it.
 *
 * Feed decoded text with {@link push} in chunks of any size (a token cut between chunks is carried
 * over) and call {@link end} once; each returns the events completed so far. Memory is one
 * statement plus one chunk: COPY data is handed out chunk by chunk, never collected.
 */
export class StatementSplitter {
  private state = NORMAL;
  private parts: string[] = [];
  private carry = '';
  /** The last two characters consumed, for look-behind across chunks. */
  private tail = '';
  /** Line at which the current statement's raw text starts. */
  private statementLine = 1;
  /** Line at the start of the text being scanned (the carried-over text included). */
  private textLine = 1;
  /** Line at {@link cursorPos} of the text being scanned: lines are counted once, moving forward. */
  private cursorLine = 1;
  private cursorPos = 0;
  private quote = 0;
  private quotePattern: RegExp = /'/g;
  private dollarTag = '';
  private commentDepth = 0;
  private copyAtLineStart = false;
  private copySkipLine = false;
  /** Line where the construct the state is in (string, comment, dollar body) began, for errors. */
  private constructLine = 1;

  constructor(private readonly dialect: TargetDialect) {}

  /** Scans one more chunk of the script. */
  push(chunk: string): ScriptEvent[] {
    const text = this.carry + chunk;
    this.carry = '';
    return this.scan(text, false);
  }

  /**
   * Ends the script: a last statement without `;` is returned like the others; COPY data still
   * open ends here (as psql allows).
   * @throws Error when the script ends inside a quoted string, a quoted name, a block comment or
   * a dollar-quoted body.
   */
  end(): ScriptEvent[] {
    const text = this.carry;
    this.carry = '';
    const out = this.scan(text, true);
    if (this.state === COPY_DATA) {
      out.push({ type: 'copy-end' });
      this.state = NORMAL;
    } else if (this.state === QUOTED || this.state === BLOCK_COMMENT || this.state === DOLLAR) {
      const what =
        this.state === QUOTED
          ? this.quote === SQUOTE
            ? 'a quoted string'
            : 'a quoted name or string'
          : this.state === BLOCK_COMMENT
            ? 'a /* comment */'
            : `a ${this.dollarTag}-quoted body`;
      throw new Error(`the script ends inside ${what} that starts at line ${this.constructLine}`);
    }
    const rest = this.parts.join('');
    this.parts = [];
    this.emitStatement(rest, out);
    return out;
  }

  /** Line of position `k` of the text being scanned; `k` never decreases within one scan. */
  private lineAt(text: string, k: number): number {
    this.cursorLine += countNewlines(text, this.cursorPos, k);
    this.cursorPos = k;
    return this.cursorLine;
  }

  private charBefore(text: string, i: number, back: number): number {
    const k = i - back;
    if (k >= 0) return text.charCodeAt(k);
    const t = this.tail.length + k;
    return t >= 0 ? this.tail.charCodeAt(t) : NaN;
  }

  private scan(text: string, final: boolean): ScriptEvent[] {
    const out: ScriptEvent[] = [];
    const n = text.length;
    const mysql = this.dialect === 'mysql';
    const special = SPECIAL[this.dialect];
    let i = 0;
    let segStart = 0;
    this.cursorLine = this.textLine;
    this.cursorPos = 0;

    scan: while (i < n) {
      switch (this.state) {
        case NORMAL: {
          special.lastIndex = i;
          const m = special.exec(text);
          if (!m) {
            i = n;
            break scan;
          }
          i = m.index;
          const c = text.charCodeAt(i);
          if (c === SEMICOLON) {
            const raw = this.parts.length ? this.parts.join('') + text.slice(segStart, i) : text.slice(segStart, i);
            this.parts = [];
            i++;
            segStart = i;
            this.emitStatement(raw, out);
            this.statementLine = this.lineAt(text, i);
            continue;
          }
          if (c === SQUOTE || c === DQUOTE || c === BACKTICK) {
            let backslash = false;
            if (mysql) backslash = c !== BACKTICK;
            else if (c === SQUOTE) {
              const e = this.charBefore(text, i, 1);
              backslash = (e === 0x45 || e === 0x65) && !isIdentifierChar(this.charBefore(text, i, 2));
            }
            this.enterQuote(c, backslash);
            this.constructLine = this.lineAt(text, i);
            i++;
            continue;
          }
          if (c === HASH) {
            this.state = LINE_COMMENT;
            i++;
            continue;
          }
          if (c === DASH) {
            if (i + 1 >= n) {
              if (final) i++;
              break scan;
            }
            if (text.charCodeAt(i + 1) !== DASH) {
              i++;
              continue;
            }
            if (mysql) {
              if (i + 2 >= n && !final) break scan;
              // MySQL: `--` starts a comment only when a space or control character follows.
              if (text.charCodeAt(i + 2) > 0x20) {
                i += 2;
                continue;
              }
            }
            this.state = LINE_COMMENT;
            i += 2;
            continue;
          }
          if (c === SLASH) {
            if (i + 1 >= n) {
              if (final) i++;
              break scan;
            }
            if (text.charCodeAt(i + 1) === STAR) {
              this.state = BLOCK_COMMENT;
              this.commentDepth = 1;
              this.constructLine = this.lineAt(text, i);
              i += 2;
            } else i++;
            continue;
          }
          // `$` (PostgreSQL): a dollar quote unless it continues a name (`a$b`) or is `$1`.
          if (isIdentifierChar(this.charBefore(text, i, 1))) {
            i++;
            continue;
          }
          DOLLAR_TAG.lastIndex = i;
          const tag = DOLLAR_TAG.exec(text);
          if (tag) {
            this.state = DOLLAR;
            this.dollarTag = tag[0];
            this.constructLine = this.lineAt(text, i);
            i += tag[0].length;
            continue;
          }
          DOLLAR_PREFIX.lastIndex = i;
          if (!final && DOLLAR_PREFIX.test(text)) break scan;
          i++;
          continue;
        }
        case QUOTED: {
          const re = this.quotePattern;
          re.lastIndex = i;
          const m = re.exec(text);
          if (!m) {
            i = n;
            break scan;
          }
          const j = m.index;
          if (text.charCodeAt(j) === BACKSLASH) {
            if (j + 1 >= n) {
              i = final ? n : j;
              break scan;
            }
            i = j + 2;
            continue;
          }
          if (j + 1 >= n) {
            if (final) {
              this.state = NORMAL;
              i = n;
            } else i = j;
            break scan;
          }
          if (text.charCodeAt(j + 1) === this.quote) {
            i = j + 2;
            continue;
          }
          this.state = NORMAL;
          i = j + 1;
          continue;
        }
        case LINE_COMMENT: {
          const nl = text.indexOf('\n', i);
          if (nl === -1) {
            i = n;
            break scan;
          }
          this.state = NORMAL;
          i = nl + 1;
          continue;
        }
        case BLOCK_COMMENT: {
          if (mysql) {
            const end = text.indexOf('*/', i);
            if (end === -1) {
              i = final ? n : Math.max(i, n - 1);
              break scan;
            }
            this.state = NORMAL;
            i = end + 2;
            continue;
          }
          const re = /\/\*|\*\//g;
          re.lastIndex = i;
          const m = re.exec(text);
          if (!m) {
            i = final ? n : Math.max(i, n - 1);
            break scan;
          }
          this.commentDepth += m[0] === '/*' ? 1 : -1;
          if (this.commentDepth === 0) this.state = NORMAL;
          i = m.index + 2;
          continue;
        }
        case DOLLAR: {
          const end = text.indexOf(this.dollarTag, i);
          if (end === -1) {
            i = final ? n : Math.max(i, n - this.dollarTag.length + 1);
            break scan;
          }
          this.state = NORMAL;
          i = end + this.dollarTag.length;
          continue;
        }
        case COPY_DATA: {
          i = this.scanCopy(text, i, final, out);
          segStart = i;
          if (this.state === COPY_DATA) break scan;
          this.statementLine = this.lineAt(text, i);
          continue;
        }
      }
    }

    if (this.state !== COPY_DATA && i > segStart) this.parts.push(text.slice(segStart, i));
    this.carry = text.slice(i);
    this.textLine = this.lineAt(text, i);
    const consumed = text.slice(Math.max(0, i - 2), i);
    this.tail = (this.tail + consumed).slice(-2);
    return out;
  }

  private enterQuote(quote: number, backslash: boolean): void {
    this.state = QUOTED;
    this.quote = quote;
    const key = `${quote}:${backslash}`;
    let re = QUOTE_PATTERNS.get(key);
    if (!re) {
      re = quoteEndPattern(quote, backslash);
      QUOTE_PATTERNS.set(key, re);
    }
    this.quotePattern = re;
  }

  /**
   * Scans COPY data from `i`: hands out the data up to the `\.` line (or the end of `text`) and
   * returns where scanning stopped. Leaves COPY mode after the `\.` line.
   */
  private scanCopy(text: string, i: number, final: boolean, out: ScriptEvent[]): number {
    const n = text.length;
    if (this.copySkipLine) {
      // psql reads data from the line after `COPY … FROM stdin;`.
      const nl = text.indexOf('\n', i);
      if (nl === -1) return n;
      this.copySkipLine = false;
      this.copyAtLineStart = true;
      i = nl + 1;
    }
    let dataStart = i;
    let rows = 0;
    const flush = (to: number) => {
      if (to > dataStart) out.push({ type: 'copy-data', text: text.slice(dataStart, to), rows });
      rows = 0;
    };
    while (i < n || final) {
      if (this.copyAtLineStart) {
        const end = terminatorEnd(text, i, final);
        if (end === NEED_MORE) {
          flush(i);
          return i;
        }
        if (end !== NOT_TERMINATOR) {
          flush(i);
          out.push({ type: 'copy-end' });
          this.state = NORMAL;
          return end;
        }
      }
      if (i >= n) break;
      const nl = text.indexOf('\n', i);
      if (nl === -1) {
        this.copyAtLineStart = false;
        i = n;
        break;
      }
      rows++;
      this.copyAtLineStart = true;
      i = nl + 1;
    }
    flush(i);
    return i;
  }

  /** Emits a statement unless it is only whitespace and comments; enters COPY mode after `COPY … FROM STDIN`. */
  private emitStatement(raw: string, out: ScriptEvent[]): void {
    const lead = leadingInsignificant(raw, this.dialect);
    if (lead === raw.length) return;
    const text = raw.slice(lead).trimEnd();
    const copy = this.dialect === 'postgres' && isCopyFromStdin(text);
    out.push({ type: 'statement', text, line: this.statementLine + countNewlines(raw, 0, lead), copy });
    if (copy) {
      this.state = COPY_DATA;
      this.copySkipLine = true;
      this.copyAtLineStart = false;
    }
  }
}

const NEED_MORE = -1;
const NOT_TERMINATOR = -2;

/**
 * At the start of a COPY data line: the index after the `\.` line that ends the data, or
 * {@link NOT_TERMINATOR}, or {@link NEED_MORE} when the chunk ends too early to tell. At the very
 * end of the script, running out of data ends COPY too.
 */
function terminatorEnd(text: string, i: number, final: boolean): number {
  const n = text.length;
  if (i >= n) return final ? n : NEED_MORE;
  if (text.charCodeAt(i) !== BACKSLASH) return NOT_TERMINATOR;
  if (i + 1 >= n) return final ? NOT_TERMINATOR : NEED_MORE;
  if (text.charCodeAt(i + 1) !== 0x2e /* . */) return NOT_TERMINATOR;
  if (i + 2 >= n) return final ? n : NEED_MORE;
  const c = text.charCodeAt(i + 2);
  if (c === NEWLINE) return i + 3;
  if (c !== 0x0d) return NOT_TERMINATOR;
  if (i + 3 >= n) return final ? n : NEED_MORE;
  return text.charCodeAt(i + 3) === NEWLINE ? i + 4 : NOT_TERMINATOR;
}
