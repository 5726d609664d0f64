/**
 * Who a request is authenticated as. Every authentication strategy (static tokens today; key-pair
 * JWTs and CI tokens later) produces this shape as `req.user`, so routes never care which one ran.
 * It is also the `Caller` that library services take.
 */
export interface AuthUser {
  readonly user: string;
}

declare global {
  // passport types `req.user` as `Express.User`; merging our shape in types it for every route.
  namespace Express {
    interface User extends AuthUser {}
  }
}
