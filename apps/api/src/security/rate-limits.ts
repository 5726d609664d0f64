/**
 * Request budgets shared by every API replica (counted in Redis). Each call counts one request and
 * throws `HfitError('RATE_LIMITED', …, { retryAfterSeconds })` when the budget of its window is
 * spent; the problem handler turns that into `429` with `Retry-After`.
 */
export interface RateLimits {
  /** One login request (challenge or token) for `username` from client `address` (`api.rateLimits.loginPer*`). */
  login(username: string, address: string): Promise<void>;
  /** One build submission or validation by `user` (`api.rateLimits.submitPerUser`). */
  submit(user: string): Promise<void>;
}
