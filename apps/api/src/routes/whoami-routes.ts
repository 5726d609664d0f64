import { WhoAmISchema } from '@hfit/contracts';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** `GET /v1/whoami`: the user the token authenticates as (a cheap way to check a token). */
export function whoamiRoutes(): RouteModule {
  return (registry) => {
    registry.components({ WhoAmI: WhoAmISchema });
    registry.add({
      method: 'get',
      path: '/v1/whoami',
      operationId: 'whoami',
      summary: 'Who the token authenticates as',
      tags: ['auth'],
      auth: 'bearer',
      responses: { 200: { description: 'The authenticated user', schema: WhoAmISchema } },
      handle: async (_input, { user }) => reply(200, { user: user.user }),
    });
  };
}
