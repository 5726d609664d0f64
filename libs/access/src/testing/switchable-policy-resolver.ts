import type { AccessPolicy, GrantInput, PolicyResolver } from '@hfit/contracts';
import { GrantSchema } from '@hfit/contracts';
import { policyOf } from '../policy-of.js';

/**
 * A {@link PolicyResolver} whose answers a test changes while a build runs: `grant` gives a user
 * exactly one grant, `remove` makes them unknown (as a removed user or a revoked token). Counts
 * the questions asked per user, so a test can see that a worker asked again.
 */
export class SwitchablePolicyResolver implements PolicyResolver {
  private readonly policies = new Map<string, AccessPolicy>();
  readonly asked = new Map<string, number>();

  constructor(grants: Readonly<Record<string, GrantInput>> = {}) {
    for (const [user, grant] of Object.entries(grants)) this.grant(user, grant);
  }

  /** From now on `user` has exactly `grant`. */
  grant(user: string, grant: GrantInput): this {
    this.policies.set(user, policyOf(user, [], [GrantSchema.parse(grant)], {}));
    return this;
  }

  /** From now on `user` does not exist. */
  remove(user: string): this {
    this.policies.delete(user);
    return this;
  }

  policyFor(user: string): Promise<AccessPolicy | undefined> {
    this.asked.set(user, (this.asked.get(user) ?? 0) + 1);
    return Promise.resolve(this.policies.get(user));
  }
}
