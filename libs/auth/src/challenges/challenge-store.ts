import { createHash, randomBytes } from 'node:crypto';
import type { ChallengeResponse } from '@hfit/contracts';
import type { Redis } from 'ioredis';
import { orUnavailable } from '../store/redis-unavailable.js';

/** Version tag at the start of every challenge: a signature over it cannot be mistaken for another protocol's. */
export const CHALLENGE_TAG = 'hfit-login-v1';

/** Deletes the challenge only when it was issued to this user: atomic, so it is consumed once at most. */
const CONSUME = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end return 0`;

/** Options of {@link ChallengeStore}. */
export interface ChallengeStoreOptions {
  readonly redis: Redis;
  /** Key of a challenge by the sha256 (hex) of its text. */
  readonly keyOf: (digest: string) => string;
  /** `auth.audience`: part of every challenge, so one signed for another server is useless here. */
  readonly audience: string;
  /** `auth.challengeTtlSeconds`. */
  readonly ttlSeconds: number;
  readonly now?: () => number;
}

/**
 * Login challenges in Redis: `hfit-login-v1:<audience>:<username>:<32 random bytes, base64url>`,
 * bound to the username, valid for `ttlSeconds`, consumed at most once. Issued for any
 * well-formed username, known or not, so the answer never tells whether a user exists.
 */
export class ChallengeStore {
  private readonly now: () => number;

  constructor(private readonly options: ChallengeStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A new challenge for `username`. */
  async issue(username: string): Promise<ChallengeResponse> {
    const challenge = `${CHALLENGE_TAG}:${this.options.audience}:${username}:${randomBytes(32).toString('base64url')}`;
    const ttlMs = this.options.ttlSeconds * 1000;
    const expiresAt = new Date(this.now() + ttlMs).toISOString();
    await orUnavailable('the login challenge could not be stored', () => this.options.redis.set(this.keyOf(challenge), username, 'PX', ttlMs));
    return { challenge, expiresAt };
  }

  /**
   * Uses up `challenge` for `username`: true only when it was issued to that user, has not
   * expired and was not used before. A challenge of another user is left alone (and false).
   */
  async consume(username: string, challenge: string): Promise<boolean> {
    const shaped = challenge.startsWith(`${CHALLENGE_TAG}:${this.options.audience}:${username}:`);
    // The script runs whatever the shape, so a malformed challenge costs the same round trip.
    const consumed = await orUnavailable('the login challenge could not be checked', () => this.options.redis.eval(CONSUME, 1, this.keyOf(challenge), username));
    return shaped && consumed === 1;
  }

  private keyOf(challenge: string): string {
    return this.options.keyOf(createHash('sha256').update(challenge, 'utf8').digest('hex'));
  }
}
