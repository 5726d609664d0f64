/**
 * How a `Range` request header applies to a representation of `size` bytes (RFC 9110 §14).
 * - `none`: no header, or one the server ignores (another unit, a malformed or multi-range set):
 *   answer `200` with the whole body;
 * - `satisfiable`: answer `206` with bytes `start..end` (inclusive);
 * - `unsatisfiable`: answer `416` with `Content-Range: bytes *\/size`.
 */
export type RangeDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'satisfiable'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const NONE: RangeDecision = { kind: 'none' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };

/** A decimal integer (digits only), or NaN. Too large to be exact is still "large". */
function digits(text: string): number {
  return /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * Decides how to answer `header` for `size` bytes. One range only: `bytes=a-b`, `bytes=a-` and the
 * suffix form `bytes=-n` (the last n bytes; the whole body when n > size). A multi-range request
 * is answered with the whole body (`none`) rather than `multipart/byteranges`, which RFC 9110
 * §14.2 allows ("a server MAY ignore the Range header field"); so is a malformed header or an
 * unknown unit. `a > b` is a malformed range-spec, hence ignored too.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return NONE;
  const m = /^\s*([A-Za-z]+)\s*=\s*(.*)$/.exec(header);
  if (m === null || m[1]!.toLowerCase() !== 'bytes') return NONE;
  const specs = m[2]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length !== 1) return NONE;
  const spec = specs[0]!;
  const dash = spec.indexOf('-');
  if (dash < 0) return NONE;
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();
  if (first === '') {
    const suffix = digits(last);
    if (Number.isNaN(suffix)) return NONE;
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'satisfiable', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = digits(first);
  if (Number.isNaN(start)) return NONE;
  let end = size - 1;
  if (last !== '') {
    const e = digits(last);
    if (Number.isNaN(e) || e < start) return NONE;
    end = Math.min(e, size - 1);
  }
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'satisfiable', start, end };
}
