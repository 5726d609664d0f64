import { HfitError, type ErrorDetail } from '@hfit/contracts';

/** A condition a file must meet to be listed. Every condition of a {@link FileFilters} must hold. */
export type FileCondition =
  /** The base name matches the picomatch glob (`*` and `?` never match a leading dot). */
  | { readonly kind: 'name'; readonly glob: string }
  /** `days > 0`: modified within that many days; `days < 0`: modified more than `-days` days ago. */
  | { readonly kind: 'mtime'; readonly days: number }
  /** Size in bytes compared with `bytes`. */
  | { readonly kind: 'size'; readonly op: '<' | '<=' | '=' | '>=' | '>'; readonly bytes: number };

/** Sort key and direction of a listing. Ties are broken by path, ascending. */
export interface FileSort {
  readonly key: 'mtime' | 'size' | 'name';
  readonly order: 'asc' | 'desc';
}

/** File filters in typed form, as {@link parseFileFilters} reads them. */
export interface FileFilters {
  readonly conditions: readonly FileCondition[];
  /** Unset: a listing comes in directory order; the best file defaults to newest first. */
  readonly sort?: FileSort | undefined;
  /** Folder below the volume root to start from, `/`-separated (checked against the volume when used). */
  readonly path?: string | undefined;
}

/** The filter forms, for error messages. */
export const FILE_FILTER_FORMS =
  'name:<glob>, mtime:<days> (positive: modified within N days, negative: older than N days), ' +
  'size:>N, size:<N, size:>=N, size:<=N, size:N (bytes, optional k/M/G suffix, 1024-based), ' +
  'sort:<mtime|size|name>[:asc|desc], path:<folder>';

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const SIZE = /^(<=|>=|<|>|=)?(\d+(?:\.\d+)?)([kmg]?)$/i;
const DAYS = /^[+-]?\d+(?:\.\d+)?$/;
const KEYS: ReadonlySet<string> = new Set(['name', 'mtime', 'size', 'sort', 'path']);
const SORT = /^(mtime|size|name)(?:[:|](asc|desc))?$/;

/**
 * Reads the volume-listing filters of the original tool (`hfit files <volume> [filter…]`):
 * `name:<glob>`, `mtime:<days>`, `size:>N|<N|N` (plus `>=`/`<=` and k/M/G suffixes),
 * `sort:<mtime|size|name>[:asc|desc]` (also `|desc`, as templates write it; default `asc`) and
 * `path:<folder>` to start below the volume root. `sort` and `path` may appear once each; every
 * other filter may repeat and all must hold.
 *
 * @throws HfitError `REQUEST_INVALID` naming every token that is not one of these forms (with the
 *   accepted forms), each also listed in `details`.
 */
export function parseFileFilters(filters: readonly string[]): FileFilters {
  const conditions: FileCondition[] = [];
  const problems: ErrorDetail[] = [];
  let sort: FileSort | undefined;
  let folder: string | undefined;
  const bad = (token: string, why: string) => problems.push({ field: 'filter', message: `"${token}" ${why}` });

  for (const token of filters) {
    const colon = token.indexOf(':');
    const key = colon < 0 ? token : token.slice(0, colon);
    const value = colon < 0 ? undefined : token.slice(colon + 1);
    if (!KEYS.has(key)) {
      bad(token, 'is not a file filter');
      continue;
    }
    if (value === undefined || value === '') {
      bad(token, `has no value: write ${key}:<value>`);
      continue;
    }
    switch (key) {
      case 'name':
        if (value.includes('/')) bad(token, 'has a "/": name filters match the base name; use path:<folder> for folders');
        else conditions.push({ kind: 'name', glob: value });
        break;
      case 'mtime': {
        const days = Number(value);
        if (!DAYS.test(value) || days === 0) bad(token, 'needs a non-zero number of days, e.g. mtime:7 (within 7 days) or mtime:-30 (older than 30 days)');
        else conditions.push({ kind: 'mtime', days });
        break;
      }
      case 'size': {
        const m = SIZE.exec(value);
        const unit = UNITS[(m?.[3] ?? '').toLowerCase()];
        const bytes = m && unit !== undefined ? Number(m[2]) * unit : Number.NaN;
        if (!m || !Number.isSafeInteger(Math.round(bytes)) || (unit === 1 && m[2]!.includes('.')))
          bad(token, 'needs a byte count with an optional comparison and k/M/G suffix, e.g. size:>10k, size:<2M, size:1024');
        else conditions.push({ kind: 'size', op: (m[1] ?? '=') as '<' | '<=' | '=' | '>=' | '>', bytes: Math.round(bytes) });
        break;
      }
      case 'sort': {
        const m = SORT.exec(value);
        if (!m) bad(token, 'needs a key mtime, size or name and an optional order, e.g. sort:mtime:desc');
        else if (sort) bad(token, 'is a second sort: give sort only once');
        else sort = { key: m[1] as FileSort['key'], order: (m[2] ?? 'asc') as FileSort['order'] };
        break;
      }
      case 'path':
        if (folder !== undefined) bad(token, 'is a second path: give path only once');
        else folder = value;
        break;
    }
  }
  if (problems.length) {
    const list = problems.map((p) => p.message).join('; ');
    throw new HfitError('REQUEST_INVALID', `bad file filter: ${list}. Accepted forms: ${FILE_FILTER_FORMS}`, { field: 'filter', details: problems });
  }
  return { conditions, ...(sort ? { sort } : {}), ...(folder === undefined ? {} : { path: folder }) };
}

/** The filters in the syntax they were written in, for messages (`name:*.csv size:>1024`). */
export function describeFileFilters(filters: FileFilters): string {
  const parts = filters.conditions.map((c) =>
    c.kind === 'name' ? `name:${c.glob}` : c.kind === 'mtime' ? `mtime:${c.days}` : `size:${c.op === '=' ? '' : c.op}${c.bytes}`,
  );
  if (filters.sort) parts.push(`sort:${filters.sort.key}:${filters.sort.order}`);
  return parts.length ? parts.join(' ') : '(no filter)';
}
