import type { LoadedServerConfig } from '@hfit/config';
import type { AuditSink } from '@hfit/contracts';
import type { RouteModule } from './route-module.js';
import { sourceRoutes } from './source-routes.js';
import { volumeRoutes } from './volume-routes.js';

/**
 * Browsing what templates can name, per the server config: the database sources
 * (`/v1/sources/…`, see {@link sourceRoutes}) and the volumes (`/v1/volumes/…`, see
 * {@link volumeRoutes}), within the caller's grants. Rows and file reads, and every refusal, are
 * recorded to `deps.audit`. Pass it to `createApp({ routers })`.
 */
export function browseRoutes(config: Pick<LoadedServerConfig, 'sources' | 'volumes'>, deps: { readonly audit: AuditSink }): RouteModule {
  const modules = [sourceRoutes(config, deps), volumeRoutes(config, deps)];
  return (registry) => {
    for (const register of modules) register(registry);
  };
}
