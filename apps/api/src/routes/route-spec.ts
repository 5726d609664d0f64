import type { Logger } from '@hfit/logger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AuthUser } from '../auth/auth-user.js';

/**
 * Methods a route may declare. `GET` routes answer `HEAD` too (Express strips the body); a `head`
 * route is for paths that only answer `HEAD` (existence checks). `OPTIONS` is the registry's.
 */
export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

/** `public`: no authentication (health, OpenAPI); `bearer`: any configured auth strategy. */
export type AuthMode = 'public' | 'bearer';

/** Schema of path parameters, query parameters or request headers (header names lower-case). */
export type ObjectSchema = z.ZodObject;

/** Accepted request bodies: media type -> schema of the parsed body. */
export type BodySchemas = Readonly<Record<string, z.ZodType>>;

/** One documented response of a route. */
export interface ResponseSpec {
  readonly description: string;
  /** JSON body (`application/json`); the registry validates what the handler returns against it. */
  readonly schema?: z.ZodType;
  /**
   * Media types of a non-JSON body the handler streams itself (e.g. `application/gzip`); with a
   * `schema` too, other representations the handler may send instead of the JSON one (NDJSON, YAML).
   */
  readonly content?: readonly string[];
  /** Response headers worth documenting: name -> description. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Responses by status. */
export type ResponseSpecs = Readonly<Record<number, ResponseSpec>>;

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** The parsed body: which declared media type it came as, and its validated value. */
export type ParsedBody<B> = B extends BodySchemas ? { [M in keyof B & string]: { readonly mediaType: M; readonly value: z.output<B[M]> } }[keyof B & string] : undefined;

/** What a handler receives: every part of the request, validated and typed. */
export interface RouteInput<P, Q, H, B> {
  readonly params: Out<P>;
  readonly query: Out<Q>;
  readonly headers: Out<H>;
  /** The body when the route declares one (then it is required), else `undefined`. */
  readonly body: ParsedBody<B>;
}

/** The request around the input, for what the input does not carry. */
export interface RouteContext<A extends AuthMode> {
  readonly req: Request;
  readonly res: Response;
  /** The authenticated caller (always set on `bearer` routes). */
  readonly user: A extends 'bearer' ? AuthUser : undefined;
  readonly requestId: string;
  /** The request's logger (every line carries the request id). */
  readonly log: Logger;
}

/** A JSON reply: one of the declared statuses, with a body of its schema. */
export type Reply<R extends ResponseSpecs> = {
  [S in keyof R & number]: {
    readonly status: S;
    readonly headers?: Readonly<Record<string, string>>;
  } & (R[S] extends { readonly schema: infer T extends z.ZodType } ? { readonly body: z.input<T> } : { readonly body?: undefined });
}[keyof R & number];

/**
 * A {@link Reply} with `status` kept as its literal type (a plain object literal returned from an
 * async handler would widen it to `number`).
 */
export function reply<S extends number, T>(status: S, body: T, headers?: Readonly<Record<string, string>>): { readonly status: S; readonly body: T; readonly headers?: Readonly<Record<string, string>> } {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** Returned by a handler that wrote the response itself (streams, redirects). */
export const RESPONSE_SENT: unique symbol = Symbol('hfit.response-sent');

/**
 * One API operation. The registry validates params, query, headers and body against the schemas
 * (every problem reported at once as `REQUEST_INVALID`), authenticates `bearer` routes, checks the
 * body's media type (`415` otherwise), calls `handle` with typed input, validates and sends its
 * reply, and documents all of it in the OpenAPI document.
 */
export interface RouteSpec<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  H extends ObjectSchema | undefined = undefined,
  B extends BodySchemas | undefined = undefined,
  R extends ResponseSpecs = ResponseSpecs,
  A extends AuthMode = AuthMode,
> {
  readonly method: HttpMethod;
  /** Express path syntax (`/v1/builds/:id`); every `:name` must be a key of `params`. */
  readonly path: string;
  /** Unique, camelCase: the OpenAPI operationId, and the method name clients tend to use. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly auth: A;
  readonly params?: P;
  readonly query?: Q;
  readonly headers?: H;
  /** Accepted bodies; a route that declares one requires it. */
  readonly body?: B;
  /** Overrides `api.bodyLimitBytes` for this route (uploads use `api.uploadLimitBytes`). */
  readonly bodyLimitBytes?: number;
  readonly responses: R;
  /**
   * Problem statuses this route answers besides those the registry adds by itself (400 with any
   * input, 401 on `bearer` routes, 413/415 with a body, 500 always), for the document.
   */
  readonly problems?: readonly number[];
  handle(input: RouteInput<P, Q, H, B>, ctx: RouteContext<A>): Promise<Reply<R> | typeof RESPONSE_SENT>;
}

/** A route with its type parameters erased, as the registry stores it. */
export type AnyRouteSpec = RouteSpec<any, any, any, any, any, any>;
