import type { RouteRegistry } from './route-registry.js';

/**
 * A group of routes: a function that adds them to the registry. Modules that need a service take
 * it in a factory (`buildRoutes(builds)`), so `createApp` decides what each one gets.
 */
export type RouteModule = (registry: RouteRegistry) => void;
