import { HealthSchema, WhoAmISchema } from '@hfit/contracts';
import type { Health, WhoAmI } from '@hfit/contracts';
import { AdminApi } from './admin-api.js';
import type { ApiClientOptions } from './api-client-options.js';
import { AuthApi } from './auth-api.js';
import { BrowseApi } from './browse-api.js';
import { BuildsApi, type CallOptions } from './builds-api.js';
import { HttpTransport } from './http-transport.js';
import { TemplatesApi } from './templates-api.js';

/**
 * A typed client of the hfit API. Resources are grouped (`client.builds.submit(…)`); each is a
 * small class over the shared {@link HttpTransport}, so a new resource is one more class and one
 * more property here.
 */
export interface ApiClient {
  /** The base URL every path is resolved against. */
  readonly baseUrl: URL;
  /** The HTTP layer, for resource classes and calls this interface does not cover yet. */
  readonly transport: HttpTransport;
  readonly builds: BuildsApi;
  /** Sources, databases, tables, rows; volumes, files, downloads. */
  readonly browse: BrowseApi;
  /** The caller's stored templates. */
  readonly templates: TemplatesApi;
  /** Key-pair login (challenge, token), logout, and the JWT verification keys. */
  readonly auth: AuthApi;
  /** Users, public keys, CI tokens, signing keys and the audit trail (needs the `admin` action). */
  readonly admin: AdminApi;
  /** `GET /healthz`: the API process answers. */
  health(options?: CallOptions): Promise<Health>;
  /** `GET /readyz`: `status` is `unavailable` (HTTP 503) while a dependency is down; never throws for that. */
  ready(options?: CallOptions): Promise<Health>;
  /** `GET /v1/whoami`: who the token authenticates as. */
  whoami(options?: CallOptions): Promise<WhoAmI>;
}

/** A client of the API at `options.baseUrl`, authenticating with `options.token`. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const transport = new HttpTransport(options);
  return {
    baseUrl: transport.baseUrl,
    transport,
    builds: new BuildsApi(transport),
    browse: new BrowseApi(transport),
    templates: new TemplatesApi(transport),
    auth: new AuthApi(transport),
    admin: new AdminApi(transport),
    health: async (o = {}) => (await transport.json({ path: '/healthz', signal: o.signal }, HealthSchema)).data,
    ready: async (o = {}) => (await transport.json({ path: '/readyz', signal: o.signal }, HealthSchema, [200, 503])).data,
    whoami: async (o = {}) => (await transport.json({ path: '/v1/whoami', signal: o.signal }, WhoAmISchema)).data,
  };
}
