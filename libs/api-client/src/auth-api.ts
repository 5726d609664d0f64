import { ChallengeResponseSchema, JwksSchema, TokenResponseSchema } from '@hfit/contracts';
import type { ChallengeResponse, Jwks, TokenRequest, TokenResponse } from '@hfit/contracts';
import type { CallOptions } from './builds-api.js';
import type { HttpTransport } from './http-transport.js';

/**
 * Key-pair login (`/v1/auth`) and the API's token signing keys (`/.well-known/jwks.json`).
 *
 * `challenge` and `token` are public (no bearer token needed: create the client without one);
 * the signature is the caller's business (the CLI signs with the user's private key). A refused
 * login is an `ApiError` with status 401 (`UNAUTHENTICATED`, the same answer for an unknown user,
 * a wrong key and a used or expired challenge); too many attempts are 429 (`RATE_LIMITED`) with
 * `retryAfterSeconds`.
 */
export class AuthApi {
  constructor(private readonly transport: HttpTransport) {}

  /** `POST /v1/auth/challenge`: the text to sign, valid once until `expiresAt`. */
  async challenge(username: string, options: CallOptions = {}): Promise<ChallengeResponse> {
    return (await this.transport.json({ method: 'POST', path: '/v1/auth/challenge', json: { username }, signal: options.signal }, ChallengeResponseSchema)).data;
  }

  /**
   * `POST /v1/auth/token`: trades a signed challenge for a short-lived JWT (`signature` is base64
   * of the signature of the challenge's UTF-8 bytes).
   */
  async token(request: TokenRequest, options: CallOptions = {}): Promise<TokenResponse> {
    return (await this.transport.json({ method: 'POST', path: '/v1/auth/token', json: request, signal: options.signal }, TokenResponseSchema)).data;
  }

  /** `POST /v1/auth/logout`: revokes the JWT the client sends (its bearer token) on the server. */
  async logout(options: CallOptions = {}): Promise<void> {
    await this.transport.expect({ method: 'POST', path: '/v1/auth/logout', signal: options.signal }, [204]);
  }

  /** `GET /.well-known/jwks.json`: the public keys that verify the API's JWTs (current and grace). */
  async jwks(options: CallOptions = {}): Promise<Jwks> {
    return (await this.transport.json({ path: '/.well-known/jwks.json', signal: options.signal }, JwksSchema)).data;
  }
}
