import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { ApiConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimits } from './rate-limits.js';

/** `api.rateLimits` of the server config. */
export type RateLimitsConfig = ApiConfig['rateLimits'];

/** One budget: its limiter and how it is named to the client. */
interface Budget {
  readonly limiter: RateLimiterRedis;
  readonly points: number;
  readonly windowSeconds: number;
  /** "login attempts for user alice": completes "too many … (10 per 60 s)". */
  describe(key: string): string;
}

/**
 * The rate-limit key of a client address: IPv4-mapped IPv6 as plain IPv4, and an IPv6 address by
 * its /64 (one host usually holds a whole /64, so per-address budgets would be trivial to dodge).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The key of a user name as the client sent it (logins are limited before the name is checked):
 * a long or odd one is hashed, so keys and messages stay short.
 */
function userKey(name: string): string {
  return /^[A-Za-z0-9_.@-]{1,64}$/.test(name) ? name : `sha256:${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/**
 * {@link RateLimits} counted in Redis (rate-limiter-flexible's `RateLimiterRedis`: a fixed window
 * per key, incremented atomically by a Lua script), so every API replica shares one budget. Keys
 * live under `<prefix>:rl:`. A spent budget throws `RATE_LIMITED` naming the limit and when to
 * retry (`retryAfterSeconds`, rounded up, becomes `Retry-After`); Redis errors propagate as they
 * are (the connection fails fast, so the request is answered 503/500 rather than let through).
 */
export class RedisRateLimits implements RateLimits {
  private readonly loginPerUser: Budget;
  private readonly loginPerAddress: Budget;
  private readonly submitPerUser: Budget;

  constructor(redis: Redis, prefix: string, config: RateLimitsConfig) {
    const budget = (name: string, limit: { points: number; windowSeconds: number }, describe: (key: string) => string): Budget => ({
      limiter: new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:rl:${name}`, points: limit.points, duration: limit.windowSeconds }),
      points: limit.points,
      windowSeconds: limit.windowSeconds,
      describe,
    });
    this.loginPerUser = budget('login-user', config.loginPerUser, (user) => `login attempts for user "${user}"`);
    this.loginPerAddress = budget('login-address', config.loginPerAddress, (address) => `login attempts from address ${address}`);
    this.submitPerUser = budget('submit-user', config.submitPerUser, (user) => `build submissions by user "${user}"`);
  }

  async login(username: string, address: string): Promise<void> {
    // Both budgets count every attempt, whichever is spent first.
    await consumeAll([
      [this.loginPerUser, userKey(username)],
      [this.loginPerAddress, addressKey(address)],
    ]);
  }

  async submit(user: string): Promise<void> {
    await consumeAll([[this.submitPerUser, userKey(user)]]);
  }
}

/** Consumes one point of each budget; throws `RATE_LIMITED` for the one that frees up last. */
async function consumeAll(budgets: readonly (readonly [Budget, string])[]): Promise<void> {
  const results = await Promise.allSettled(budgets.map(([b, key]) => b.limiter.consume(key)));
  let refused: { budget: Budget; key: string; ms: number } | undefined;
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') continue;
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    const [budget, key] = budgets[i]!;
    if (refused === undefined || r.reason.msBeforeNext > refused.ms) refused = { budget, key, ms: r.reason.msBeforeNext };
  }
  if (refused === undefined) return;
  const { budget, key, ms } = refused;
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  throw new HfitError('RATE_LIMITED', `Too many ${budget.describe(key)} (at most ${budget.points} per ${budget.windowSeconds} s): retry in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}
