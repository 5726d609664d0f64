import type { BuildService } from '@hfit/builds';
import { BuildViewSchema, NameSchema } from '@hfit/contracts';
import { z } from 'zod';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

const PackageParamsSchema = z.object({ name: NameSchema.describe('Package name, or failing that template name') });

/** Packages by name: `GET /v1/packages/:name/latest`, what a nightly snapshot's consumers fetch. */
export function packageRoutes(builds: BuildService): RouteModule {
  return (registry) => {
    registry.components({ BuildView: BuildViewSchema });
    registry.add({
      method: 'get',
      path: '/v1/packages/:name/latest',
      operationId: 'getLatestPackage',
      summary: 'The newest succeeded build of a package (or template)',
      description: 'Its `links.artifact` downloads the archive.',
      tags: ['packages'],
      auth: 'bearer',
      params: PackageParamsSchema,
      responses: { 200: { description: 'The newest succeeded build', schema: BuildViewSchema } },
      problems: [404],
      handle: async ({ params }, { user }) => reply(200, await builds.latest(user, params.name)),
    });
  };
}
