import { HfitError, isHfitError } from '@hfit/contracts';
import type { ErrorDetail } from '@hfit/contracts';

function inQuery(field: string | undefined, names: ReadonlySet<string>): string | undefined {
  return field !== undefined && names.has(field) ? `query.${field}` : field;
}

/**
 * Runs `fn`; an `HfitError` it throws that names one of `names` as its field (libraries name their
 * inputs plainly: `filter`, `path`, `limit`) is rethrown naming it as the request does
 * (`query.filter`), in `field` and in every detail, the way request validation names fields.
 * Anything else passes through unchanged.
 */
export async function withQueryFields<T>(names: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isHfitError(err)) throw err;
    const set = new Set(names);
    const field = inQuery(err.field, set);
    const details = err.details.map((d): ErrorDetail => {
      const f = inQuery(d.field, set);
      return f === undefined ? { ...d } : { ...d, field: f };
    });
    if (field === err.field && details.every((d, i) => d.field === err.details[i]!.field)) throw err;
    throw new HfitError(err.code, err.message, {
      details,
      permanent: err.permanent,
      cause: err,
      ...(field === undefined ? {} : { field }),
      ...(err.line === undefined ? {} : { line: err.line }),
    });
  }
}
