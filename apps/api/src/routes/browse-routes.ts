import type { LoadedServerConfig } from '@hfit/config';
import type { RouteModule } from './route-module.js';
import { sourceRoutes } from './source-routes.js';
import { volumeRoutes } from './volume-routes.js';

/**
 * Browsing what templates can name, per the server config: the database sources
 * (`/v1/sources/…`, see {@link sourceRoutes}) and the volumes (`/v1/volumes/…`, see
 * {@link volumeRoutes}). Pass it to `createApp({ routers })`.
 */
export function browseRoutes(config: Pick<LoadedServerConfig, 'sources' | 'volumes'>): RouteModule {
  const modules = [sourceRoutes(config), volumeRoutes(config)];
  return (registry) => {
    for (const register of modules) register(registry);
  };
}
