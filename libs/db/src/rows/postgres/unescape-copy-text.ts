/**
 * Decodes one field of PostgreSQL's COPY text format into the value's text form.
 *
 * COPY TO only ever writes `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and `\v`; the octal (`\ooo`) and hex
 * (`\xhh`) byte escapes and "backslash + any other character = that character" are also decoded so
 * any input COPY FROM accepts is understood. Byte escapes are collected and decoded as UTF-8 (the
 * session's client encoding), so a multi-byte character written as bytes comes out whole.
 * The caller handles `\N` (NULL) and the fast path of fields without a backslash.
 */
export function unescapeCopyText(field: string): string {
  let out = '';
  let bytes: number[] | undefined;
  let start = 0;
  const n = field.length;
  let i = field.indexOf('\\');
  while (i !== -1 && i < n) {
    if (i > start) {
      if (bytes) out += flushBytes(bytes);
      bytes = undefined;
      out += field.slice(start, i);
    }
    const c = field.charCodeAt(i + 1);
    let next = i + 2;
    let ch: string | undefined;
    let byte: number | undefined;
    switch (c) {
      case 0x62 /* b */:
        ch = '\b';
        break;
      case 0x66 /* f */:
        ch = '\f';
        break;
      case 0x6e /* n */:
        ch = '\n';
        break;
      case 0x72 /* r */:
        ch = '\r';
        break;
      case 0x74 /* t */:
        ch = '\t';
        break;
      case 0x76 /* v */:
        ch = '\v';
        break;
      case 0x78 /* x */: {
        let v = 0;
        let d = 0;
        while (d < 2 && isHex(field.charCodeAt(next))) {
          v = v * 16 + hexValue(field.charCodeAt(next));
          next++;
          d++;
        }
        // `\x` without hex digits is a plain `x`, as COPY FROM reads it.
        if (d === 0) ch = 'x';
        else byte = v;
        break;
      }
      default:
        if (c >= 0x30 && c <= 0x37) {
          let v = c - 0x30;
          let d = 1;
          while (d < 3 && isOctal(field.charCodeAt(next))) {
            v = v * 8 + (field.charCodeAt(next) - 0x30);
            next++;
            d++;
          }
          byte = v & 0xff;
        } else if (Number.isNaN(c)) {
          // A trailing lone backslash: COPY FROM keeps it.
          ch = '\\';
          next = i + 1;
        } else {
          ch = String.fromCharCode(c);
          // Keep surrogate pairs whole when the escaped character is astral.
          if (c >= 0xd800 && c <= 0xdbff && next < n) {
            ch += field[next];
            next++;
          }
        }
    }
    if (byte !== undefined) {
      (bytes ??= []).push(byte);
    } else {
      if (bytes) out += flushBytes(bytes);
      bytes = undefined;
      out += ch;
    }
    start = next;
    i = field.indexOf('\\', next);
  }
  if (bytes) out += flushBytes(bytes);
  return start < n ? out + field.slice(start) : out;
}

function flushBytes(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8');
}

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}
