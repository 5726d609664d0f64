import { HfitError } from '@hfit/contracts';
import type { RequestHandler } from 'express';
import passport from 'passport';
import type { AuthStrategy } from './auth-strategy.js';
import { AUTH_REALM } from './static-token-strategy.js';

const HOW_TO_GET_A_TOKEN =
  'Log in with your key pair to get one (hfit login; POST /v1/auth/challenge, then POST /v1/auth/token), or ask the operator of this hfit server for a token';

/** Keeps only well-formed challenges (strategies may fail with a bare status number instead). */
function challengesOf(info: unknown): string[] {
  const list = Array.isArray(info) ? info : [info];
  return list.filter((c): c is string => typeof c === 'string' && c.length > 0);
}

/**
 * Express middleware that authenticates a request through `strategies` (a private passport
 * instance, no sessions). On success `req.user` is the strategy's `AuthUser`; when every strategy
 * fails it answers `401 UNAUTHENTICATED` with their `WWW-Authenticate` challenges and a detail
 * that tells the caller how to get a token.
 *
 * Tokens in the query string (`?access_token=`, which passport-http-bearer would accept) are
 * refused: URLs end up in access logs, proxies and shell history.
 */
export function createAuthenticate(strategies: readonly AuthStrategy[]): RequestHandler {
  const authenticator = new passport.Passport();
  for (const s of strategies) authenticator.use(s.name, s.strategy);
  const names = strategies.map((s) => s.name);
  return (req, res, next) => {
    if (typeof req.url === 'string' && /[?&]access_token=/.test(req.url)) {
      next(
        new HfitError('REQUEST_INVALID', "Never put a token in the URL: send it as 'Authorization: Bearer <token>', and replace the token, it may have been logged", {
          field: 'query.access_token',
        }),
      );
      return;
    }
    const handler = authenticator.authenticate(names, { session: false }, (err: unknown, user: Express.User | false | null, info: unknown) => {
      if (err) {
        next(err);
        return;
      }
      if (user) {
        req.user = user;
        next();
        return;
      }
      const challenges = challengesOf(info);
      res.setHeader('WWW-Authenticate', challenges.length > 0 ? challenges : [`Bearer realm="${AUTH_REALM}"`]);
      const invalid = challenges.some((c) => c.includes('error="invalid_token"'));
      next(
        new HfitError(
          'UNAUTHENTICATED',
          invalid
            ? `The token sent is not valid on this server (unknown or revoked). ${HOW_TO_GET_A_TOKEN}.`
            : `This endpoint needs an API token: send 'Authorization: Bearer <token>'. ${HOW_TO_GET_A_TOKEN}.`,
        ),
      );
    }) as RequestHandler;
    handler(req, res, next);
  };
}
