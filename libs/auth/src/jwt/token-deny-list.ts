import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { orUnavailable } from '../store/redis-unavailable.js';

/**
 * Reads the token generation, setting it to ARGV[1] when it is missing, and whether KEYS[2] (a
 * logged-out jti) exists. KEYS: generation, revoked jti (or the generation again).
 */
const CHECK = `
local generation = redis.call('GET', KEYS[1])
if not generation then
  redis.call('SET', KEYS[1], ARGV[1])
  generation = ARGV[1]
end
return { generation, redis.call('EXISTS', KEYS[2]) }
`;

/**
 * What makes a login token that still verifies refused, both kept in Redis:
 * - logged-out tokens, by `jti`, until the token would have expired anyway (then the key expires
 *   too, so the list never grows beyond the tokens still alive);
 * - the token generation, a random id every token carries (`gen`) and must match. It is set when
 *   missing: on a new server, or after Redis lost its data. Since a Redis loss also loses the
 *   logged-out `jti`s, every login token issued before it is refused then (users log in again; CI
 *   and static tokens are kept elsewhere and keep working), so a logged-out token never comes
 *   back to life.
 */
export class TokenDenyList {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (jti: string) => string,
    private readonly generationKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current token generation (set when missing), for a token to be issued. */
  async generation(): Promise<string> {
    const [generation] = await this.check(this.generationKey);
    return generation;
  }

  /** Refuses `jti` from now until `untilSeconds` (seconds since the epoch). */
  async deny(jti: string, untilSeconds: number): Promise<void> {
    const until = Math.ceil(untilSeconds);
    if (until * 1000 <= this.now()) return;
    await orUnavailable('the token could not be revoked', () => this.redis.set(this.keyOf(jti), '1', 'EXAT', until));
  }

  /** Whether a token with this `jti` and generation is refused: logged out, or of an earlier generation. One round trip. */
  async refuses(jti: string, generation: string | undefined): Promise<boolean> {
    const [current, revoked] = await this.check(this.keyOf(jti));
    return revoked || generation !== current;
  }

  private check(revokedKey: string): Promise<[generation: string, revoked: boolean]> {
    return orUnavailable('the token could not be checked', async () => {
      const [generation, exists] = (await this.redis.eval(CHECK, 2, this.generationKey, revokedKey, randomBytes(12).toString('base64url'))) as [string, number];
      return [generation, exists === 1];
    });
  }
}
