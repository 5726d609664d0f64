import { configPolicyResolver } from '@hfit/access';
import type { Security } from '@hfit/auth';
import type { BuildService } from '@hfit/builds';
import type { AuditSink, PolicyResolver } from '@hfit/contracts';
import type { LoadedServerConfig } from '@hfit/config';
import type { Logger } from '@hfit/logger';
import express from 'express';
import type { Express } from 'express';
import type { AuthStrategy } from './auth/auth-strategy.js';
import { createAuthenticate } from './auth/create-authenticate.js';
import { securityAuthStrategies } from './auth/security-auth-strategies.js';
import { staticTokenStrategy } from './auth/static-token-strategy.js';
import { corsPolicy } from './middleware/cors-policy.js';
import { httpLogger } from './middleware/http-logger.js';
import { problemHandler } from './middleware/problem-handler.js';
import { requestId } from './middleware/request-id.js';
import { routeNotFound } from './middleware/route-not-found.js';
import { securityHeaders } from './middleware/security-headers.js';
import type { ReadinessCheck } from './readiness/readiness-check.js';
import { adminRoutes } from './routes/admin-routes.js';
import { artifactRoutes } from './routes/artifact-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { buildRoutes } from './routes/build-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './routes/openapi-document.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { packageRoutes } from './routes/package-routes.js';
import type { RouteModule } from './routes/route-module.js';
import { RouteRegistry } from './routes/route-registry.js';
import { whoamiRoutes } from './routes/whoami-routes.js';
import type { RateLimits } from './security/rate-limits.js';

/** What {@link createApp} is built from; everything with I/O comes in from outside. */
export interface AppDeps {
  /** `api` (body limit) and `auth` (static tokens) are read. */
  readonly config: LoadedServerConfig;
  readonly logger: Logger;
  readonly builds: BuildService;
  /**
   * Every user's current access (roles and grants). Default: the server config alone (first admins
   * and static-token users); the API process passes the security store.
   */
  readonly policies?: PolicyResolver;
  /** Where audit events go (logins, row and file reads, build submits, downloads, admin changes). */
  readonly audit: AuditSink;
  /** Login and build-submission budgets. */
  readonly rateLimits: RateLimits;
  /** Dependency name -> check, run by `GET /readyz` (`redis`, `storage`). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** More route modules (browse, templates…), registered after the built-in ones. */
  readonly routers?: readonly RouteModule[];
  /**
   * Authentication strategies, tried in order. Default: the static tokens of `config.auth.tokens`.
   * JWT (key-pair login) and CI-token strategies are added here.
   */
  readonly authStrategies?: readonly AuthStrategy[];
  /**
   * Users, keys, CI tokens and signing keys (`createSecurity` of `@hfit/auth`). When given: the
   * login, JWKS and admin routes exist, `policies` defaults to its policies, and the default
   * strategy also accepts login JWTs and CI tokens.
   */
  readonly security?: Security;
  /** Budget of each readiness check in ms (default 2000). */
  readonly readinessTimeoutMs?: number;
  /** Validate every JSON reply against its schema (default true; see `MountOptions`). */
  readonly validateResponses?: boolean;
}

/** `info` of the OpenAPI document; the version is that of the `/v1` contract. */
export const API_INFO: OpenApiInfo = {
  title: 'hfit API',
  version: '1.0.0',
  description: 'Build packages of production-like data (DDL, filtered rows, volume files) from templates, and download them.',
};

/** The route modules every API has, in registration order. */
function coreRoutes(deps: AppDeps, document: () => OpenApiDocument): RouteModule[] {
  return [
    healthRoutes({ readiness: deps.readiness, timeoutMs: deps.readinessTimeoutMs ?? 2000 }),
    openApiRoutes(document),
    whoamiRoutes(),
    buildRoutes(deps.builds, deps),
    artifactRoutes(deps.builds, deps),
    packageRoutes(deps.builds),
    ...(deps.security === undefined
      ? []
      : [authRoutes({ security: deps.security, audit: deps.audit, rateLimits: deps.rateLimits }), adminRoutes({ security: deps.security, audit: deps.audit })]),
  ];
}

/**
 * The hfit API as an Express app (not listening): request ids, request logging, the routes of
 * every module (validated and documented through one {@link RouteRegistry}), `405`/`404` for
 * unknown methods and paths, and RFC 9457 problem+json for every error. Throws at once when a
 * route is declared wrong or its schemas cannot be documented.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Replies are computed per request; a weak ETag on JSON would only invite stale 304s.
  app.set('etag', false);
  app.set('query parser', 'simple');
  // Which X-Forwarded-For hops to believe for req.ip (audit clientIp, per-address rate limits).
  app.set('trust proxy', deps.config.api.trustProxy);

  const registry = new RouteRegistry();
  let document: OpenApiDocument | undefined;
  for (const register of [...coreRoutes(deps, () => document!), ...(deps.routers ?? [])]) register(registry);
  document = buildOpenApiDocument(registry, API_INFO);

  const policies = deps.policies ?? deps.security?.policies ?? configPolicyResolver(deps.config.auth);
  const strategies =
    deps.authStrategies ??
    (deps.security === undefined ? [staticTokenStrategy(deps.config.auth.tokens, policies)] : securityAuthStrategies(deps.config.auth.tokens, deps.security, policies));
  app.use(securityHeaders());
  app.use(requestId());
  app.use(httpLogger(deps.logger));
  const cors = corsPolicy(deps.config.api.corsOrigins);
  if (cors !== undefined) app.use(cors);
  const router = express.Router();
  registry.mount(router, {
    authenticate: createAuthenticate(strategies),
    bodyLimitBytes: deps.config.api.bodyLimitBytes,
    validateResponses: deps.validateResponses ?? true,
  });
  app.use(router);
  app.use(routeNotFound());
  app.use(problemHandler());
  return app;
}
