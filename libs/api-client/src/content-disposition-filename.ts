/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*=UTF-8''…` when present,
 * else `filename="…"` or `filename=token`. Only the last path segment is kept, so a hostile name
 * cannot point outside the folder a caller saves into.
 */
export function contentDispositionFilename(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;\s]+)/i.exec(header);
  if (extended !== null && /^utf-8$/i.test(extended[1]!)) {
    try {
      name = decodeURIComponent(extended[2]!);
    } catch {
      name = undefined;
    }
  }
  if (name === undefined) {
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    const token = /filename\s*=\s*([^";\s]+)/i.exec(header);
    name = quoted !== null ? quoted[1]!.replace(/\\(.)/g, '$1') : token?.[1];
  }
  const base = name?.split(/[\\/]/).pop();
  return base === undefined || base === '' || base === '.' || base === '..' ? undefined : base;
}
