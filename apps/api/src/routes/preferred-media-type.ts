import { HfitError } from '@hfit/contracts';
import type { Request, Response } from 'express';

/**
 * The media type of `offered` the request's `Accept` header prefers (q-values, then specificity,
 * then the order of `offered`, whose first entry is the default for `*\/*` or no header). Sets
 * `Vary: Accept`, since the answer depends on it.
 * @throws HfitError `NOT_ACCEPTABLE` naming what could be sent, when `Accept` allows none of them.
 */
export function preferredMediaType<T extends string>(target: { readonly req: Request; readonly res: Response }, offered: readonly [T, ...T[]]): T {
  const { req, res } = target;
  res.vary('Accept');
  const best = req.accepts([...offered]);
  if (best === false) {
    throw new HfitError('NOT_ACCEPTABLE', `Accept ${JSON.stringify(req.get('accept') ?? '')} allows none of what this endpoint sends: ${offered.join(', ')}`, {
      field: 'headers.accept',
    });
  }
  return best as T;
}
