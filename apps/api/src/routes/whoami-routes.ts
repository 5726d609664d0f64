import { WhoAmISchema } from '@hfit/contracts';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** `GET /v1/whoami`: the user the token authenticates as, how, and their roles and grant (a cheap way to check a token, or why a 403 came). */
export function whoamiRoutes(): RouteModule {
  return (registry) => {
    registry.components({ WhoAmI: WhoAmISchema });
    registry.add({
      method: 'get',
      path: '/v1/whoami',
      operationId: 'whoami',
      summary: 'Who the token authenticates as, and what they may do',
      tags: ['auth'],
      auth: 'bearer',
      responses: { 200: { description: 'The authenticated user, their roles and their grant', schema: WhoAmISchema } },
      handle: async (_input, { user }) => reply(200, { user: user.user, via: user.via, roles: [...user.policy.roles], grant: user.policy.grant }),
    });
  };
}
