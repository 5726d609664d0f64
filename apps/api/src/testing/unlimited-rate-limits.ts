import type { RateLimits } from '../security/rate-limits.js';

/** {@link RateLimits} that never refuse, for tests that are not about rate limits. */
export const UNLIMITED_RATE_LIMITS: RateLimits = {
  login: () => Promise.resolve(),
  submit: () => Promise.resolve(),
};
