import type { Principal } from '@hfit/contracts';

/**
 * Who a request is authenticated as, with their access. Every authentication strategy (static
 * tokens, key-pair JWTs, CI tokens) produces this shape as `req.user`, so routes never care which
 * one ran. It is also the `Caller` that library services take.
 */
export type AuthUser = Principal;

declare global {
  // passport types `req.user` as `Express.User`; merging our shape in types it for every route.
  namespace Express {
    interface User extends Principal {}
  }
}
