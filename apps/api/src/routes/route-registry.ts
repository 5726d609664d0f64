import { HfitError } from '@hfit/contracts';
import type { ErrorDetail } from '@hfit/contracts';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { requestIdOf } from '../middleware/request-id.js';
import { requestInvalid, requestProblems, type PartIssues } from '../problems/request-invalid.js';
import { bodyParserFor } from './body-parser-for.js';
import { RESPONSE_SENT } from './route-spec.js';
import type { AnyRouteSpec, AuthMode, BodySchemas, ObjectSchema, ResponseSpecs, RouteSpec } from './route-spec.js';

/** How {@link RouteRegistry.mount} wires routes into Express. */
export interface MountOptions {
  /** Runs before the body is read on every `bearer` route. */
  readonly authenticate: RequestHandler;
  /** Largest request body unless a route sets its own (`api.bodyLimitBytes`). */
  readonly bodyLimitBytes: number;
  /**
   * Check every JSON reply against its declared schema: a mismatch is a 500 (logged) instead of a
   * silently broken contract. The reply sent is the schema's output, so undeclared fields never
   * leak out. When false, a mismatch is only logged and the reply sent as the handler made it.
   */
  readonly validateResponses: boolean;
}

/** `:name` segments of an Express path. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

/** Which declared media type each request's body came as (set by the body middleware). */
const bodyMediaType = new WeakMap<Request, string>();

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The API's routes: each declares its method, path, input schemas and responses once, and the
 * registry turns that into validated, typed Express handlers ({@link mount}) and into the OpenAPI
 * document (see `buildOpenApiDocument`). Route modules add to it; nothing else registers routes.
 */
export class RouteRegistry {
  private readonly list: AnyRouteSpec[] = [];
  private readonly named = new Map<string, z.ZodType>();

  /**
   * Adds a route. Throws (at start-up) when its operationId or method and path is taken, or when
   * its path parameters and `params` schema disagree.
   */
  add<
    P extends ObjectSchema | undefined = undefined,
    Q extends ObjectSchema | undefined = undefined,
    H extends ObjectSchema | undefined = undefined,
    B extends BodySchemas | undefined = undefined,
    R extends ResponseSpecs = ResponseSpecs,
    A extends AuthMode = AuthMode,
  >(spec: RouteSpec<P, Q, H, B, R, A>): void {
    const where = `route ${spec.method.toUpperCase()} ${spec.path}`;
    if (this.list.some((r) => r.operationId === spec.operationId)) throw new Error(`${where}: operationId "${spec.operationId}" is already used`);
    if (this.list.some((r) => r.method === spec.method && r.path === spec.path)) throw new Error(`${where} is already registered`);
    // Express serves HEAD with the first matching GET route: a HEAD route next to one would never run.
    const answersHead = (method: string) => method === 'get' || method === 'head';
    if (answersHead(spec.method) && this.list.some((r) => answersHead(r.method) && r.path === spec.path)) {
      throw new Error(`${where}: the path already has a ${spec.method === 'get' ? 'HEAD' : 'GET'} route; a GET route answers HEAD itself`);
    }
    const inPath = pathParamNames(spec.path).sort();
    const declared = spec.params === undefined ? [] : Object.keys(spec.params.shape).sort();
    if (inPath.join(',') !== declared.join(',')) {
      throw new Error(`${where}: path parameters [${inPath.join(', ')}] and the params schema [${declared.join(', ')}] must name the same fields`);
    }
    if (spec.body !== undefined && Object.keys(spec.body).length === 0) throw new Error(`${where}: body declares no media type`);
    this.list.push(spec as AnyRouteSpec);
  }

  /**
   * Names response schemas in the OpenAPI document (`#/components/schemas/<name>`): wherever one
   * of them appears in a response, even nested, the document refers to it by name.
   */
  components(schemas: Readonly<Record<string, z.ZodType>>): void {
    for (const [name, schema] of Object.entries(schemas)) {
      const known = this.named.get(name);
      if (known !== undefined && known !== schema) throw new Error(`OpenAPI component "${name}" is already a different schema`);
      this.named.set(name, schema);
    }
  }

  /** Every route, in registration order. */
  get routes(): readonly AnyRouteSpec[] {
    return this.list;
  }

  /** The named response schemas. */
  get componentSchemas(): ReadonlyMap<string, z.ZodType> {
    return this.named;
  }

  /**
   * Installs every route on `router`, then, per path, a handler that answers the methods no route
   * has: `OPTIONS` with `204` and `Allow`, anything else `405 METHOD_NOT_ALLOWED` with `Allow`.
   */
  mount(router: Router, options: MountOptions): void {
    const byPath = new Map<string, Set<string>>();
    for (const spec of this.list) {
      const handlers: RequestHandler[] = [];
      if (spec.auth === 'bearer') handlers.push(options.authenticate);
      if (spec.body !== undefined) handlers.push(bodyMiddleware(spec, spec.bodyLimitBytes ?? options.bodyLimitBytes));
      handlers.push(routeHandler(spec, options.validateResponses));
      router[spec.method](spec.path, ...handlers);
      const methods = byPath.get(spec.path) ?? new Set<string>();
      methods.add(spec.method.toUpperCase());
      if (spec.method === 'get') methods.add('HEAD');
      byPath.set(spec.path, methods);
    }
    for (const [path, methods] of byPath) {
      const allow = [...methods, 'OPTIONS'].join(', ');
      router.all(path, (req, res, next) => {
        res.setHeader('Allow', allow);
        if (req.method === 'OPTIONS') {
          res.status(204).end();
          return;
        }
        next(new HfitError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}: use ${allow}`));
      });
    }
  }
}

/** Checks the body's media type against the route's and reads it with the matching parser. */
function bodyMiddleware(spec: AnyRouteSpec, limitBytes: number): RequestHandler {
  const mediaTypes = Object.keys(spec.body as BodySchemas);
  const parsers = new Map(mediaTypes.map((m) => [m, bodyParserFor(m, limitBytes)] as const));
  return (req, res, next) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    const matched = mediaTypes.find((m) => req.is(m));
    if (matched === undefined) {
      // RFC 9110 §15.5.16: tell the client what it may send instead.
      if (req.method === 'POST') res.setHeader('Accept-Post', mediaTypes.join(', '));
      if (req.method === 'PATCH') res.setHeader('Accept-Patch', mediaTypes.join(', '));
      const sent = req.get('content-type');
      next(
        new HfitError(
          'UNSUPPORTED_MEDIA_TYPE',
          `${sent === undefined ? 'The body has no Content-Type' : `Content-Type ${JSON.stringify(sent)} is not accepted here`}: send ${mediaTypes.join(' or ')}`,
        ),
      );
      return;
    }
    bodyMediaType.set(req, matched);
    parsers.get(matched)!(req, res, next);
  };
}

/** Validates every part of the request against the route's schemas, reporting all problems at once. */
function parseInput(spec: AnyRouteSpec, req: Request): { params: unknown; query: unknown; headers: unknown; body: unknown } {
  const issues: PartIssues[] = [];
  const extra: ErrorDetail[] = [];
  const parse = (part: PartIssues['part'], schema: ObjectSchema | undefined, value: unknown): unknown => {
    if (schema === undefined) return {};
    const r = schema.safeParse(value ?? {}, { reportInput: true });
    if (r.success) return r.data;
    issues.push({ part, issues: r.error.issues });
    return undefined;
  };
  const params = parse('params', spec.params as ObjectSchema | undefined, req.params);
  // Express's "simple" query parser returns an object without prototype: copy it into a plain one.
  const query = parse('query', spec.query as ObjectSchema | undefined, { ...req.query });
  const headers = parse('headers', spec.headers as ObjectSchema | undefined, req.headers);
  let body: unknown;
  const bodies = spec.body as BodySchemas | undefined;
  if (bodies !== undefined) {
    const mediaType = bodyMediaType.get(req);
    if (mediaType === undefined) {
      extra.push({ field: 'body', message: `is required: send ${Object.keys(bodies).join(' or ')}` });
    } else {
      const r = bodies[mediaType]!.safeParse(req.body, { reportInput: true });
      if (r.success) body = { mediaType, value: r.data };
      else issues.push({ part: 'body', issues: r.error.issues });
    }
  }
  const problems = [...requestProblems(issues), ...extra];
  if (problems.length > 0) throw requestInvalid(problems);
  return { params, query, headers, body };
}

function sendReply(spec: AnyRouteSpec, req: Request, res: Response, reply: { status: number; body?: unknown; headers?: Readonly<Record<string, string>> }, validate: boolean): void {
  const declared = (spec.responses as ResponseSpecs)[reply.status];
  if (declared === undefined) throw new Error(`${spec.operationId} replied ${reply.status}, a status it does not declare`);
  let body = reply.body;
  if (declared.schema !== undefined) {
    const r = declared.schema.safeParse(body);
    if (r.success) body = r.data;
    else if (validate) throw new Error(`${spec.operationId}: its ${reply.status} reply does not match the declared schema:\n${z.prettifyError(r.error)}`);
    else req.log.warn({ operationId: spec.operationId, status: reply.status, issues: r.error.issues.map((i) => i.path.join('.')) }, 'reply does not match its schema');
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status);
  if (body === undefined) res.end();
  else res.json(body);
}

function routeHandler(spec: AnyRouteSpec, validate: boolean): RequestHandler {
  return async (req, res) => {
    const input = parseInput(spec, req);
    const reply: unknown = await spec.handle(input as Parameters<AnyRouteSpec['handle']>[0], { req, res, user: req.user, requestId: requestIdOf(req), log: req.log });
    if (reply === RESPONSE_SENT) {
      if (!res.headersSent) throw new Error(`${spec.operationId} returned RESPONSE_SENT without responding`);
      return;
    }
    sendReply(spec, req, res, reply as { status: number; body?: unknown; headers?: Readonly<Record<string, string>> }, validate);
  };
}
