import { HealthSchema } from '@hfit/contracts';
import type { ReadinessCheck } from '../readiness/readiness-check.js';
import { runReadinessChecks } from '../readiness/run-readiness-checks.js';
import { NO_STORE } from './no-store.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  /** Dependency name -> check, run by `GET /readyz`. */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Budget of each check. */
  readonly timeoutMs: number;
}

/**
 * `GET /healthz` (liveness: the process answers HTTP; touches no dependency, so a Redis outage
 * never gets the API restarted) and `GET /readyz` (readiness: every dependency answers; `503`
 * takes the instance out of a load balancer until they do). Both unauthenticated.
 */
export function healthRoutes(options: HealthRoutesOptions): RouteModule {
  return (registry) => {
    registry.components({ Health: HealthSchema });
    registry.add({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness: the API process serves requests',
      tags: ['health'],
      auth: 'public',
      responses: { 200: { description: 'The process is alive', schema: HealthSchema } },
      handle: async () => reply(200, { status: 'ok' as const }, NO_STORE),
    });
    registry.add({
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness: every dependency (Redis, storage) answers',
      description: `Each check runs in parallel with a ${options.timeoutMs} ms budget; \`checks\` names each dependency with \`ok\` or why it is not.`,
      tags: ['health'],
      auth: 'public',
      responses: {
        200: { description: 'Every dependency answers', schema: HealthSchema },
        503: { description: 'At least one dependency does not answer (named in `checks`)', schema: HealthSchema },
      },
      handle: async (_input, { log }) => {
        const result = await runReadinessChecks(options.readiness, options.timeoutMs, log);
        return result.status === 'ok' ? reply(200, result, NO_STORE) : reply(503, result, NO_STORE);
      },
    });
  };
}
