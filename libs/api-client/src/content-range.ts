/** A parsed `Content-Range` header. */
export interface ContentRange {
  /** First and last byte sent (inclusive); absent for `bytes *\/size` (a 416). */
  readonly start?: number;
  readonly end?: number;
  /** Size of the whole representation, when the server knows it. */
  readonly size?: number;
}

/** Parses `bytes a-b/size`, `bytes a-b/*` and `bytes *\/size`; `undefined` for anything else. */
export function parseContentRange(header: string | null | undefined): ContentRange | undefined {
  if (header === null || header === undefined) return undefined;
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(header);
  if (m === null) return undefined;
  const size = m[3] === '*' ? undefined : Number(m[3]);
  if (m[1] === undefined) return size === undefined ? undefined : { size };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || (size !== undefined && end >= size)) return undefined;
  return { start, end, ...(size === undefined ? {} : { size }) };
}
