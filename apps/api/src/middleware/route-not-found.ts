import { HfitError } from '@hfit/contracts';
import type { RequestHandler } from 'express';

/** After every route: `ROUTE_NOT_FOUND` for a path no route has. */
export function routeNotFound(): RequestHandler {
  return (req, _res, next) => {
    next(new HfitError('ROUTE_NOT_FOUND', `No endpoint at ${req.path}: the endpoints are listed in /openapi.json`));
  };
}
