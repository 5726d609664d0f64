import type { z } from 'zod';
import type { ApiClientOptions } from './api-client-options.js';
import { ApiError } from './api-error.js';
import { ApiResponseInvalidError } from './api-response-invalid-error.js';
import { ApiUnreachableError } from './api-unreachable-error.js';

/** Query parameter values; arrays repeat the parameter (`arg=1&arg=2`), `undefined` omits it. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One HTTP request to the API. */
export interface TransportRequest {
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the base URL, e.g. `/v1/builds` (segments already encoded). */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (sent as `application/json`). */
  readonly json?: unknown;
  /** A raw body with its media type (YAML, a .tar.gz upload); a stream is sent chunked as it is read. */
  readonly body?: { readonly contentType: string; readonly data: string | Uint8Array | ReadableStream<Uint8Array> };
  readonly signal?: AbortSignal | undefined;
}

/** A response whose body was parsed and validated. */
export interface ParsedResponse<T> {
  readonly data: T;
  readonly response: Response;
}

/**
 * `encodeURIComponent` for one path segment (`/v1/builds/${segment(id)}`): `/`, `?`, `#`, `%` and
 * spaces are escaped, so the server sees exactly `value`. `.` and `..` cannot be sent as a segment
 * (URL parsing removes them, even percent-encoded): they throw a `TypeError`.
 */
export function segment(value: string): string {
  if (value === '.' || value === '..') throw new TypeError(`"${value}" cannot be sent as a URL path segment`);
  return encodeURIComponent(value);
}

/**
 * The HTTP layer shared by every resource of the client: URLs under the base URL, the bearer
 * token and user agent, error responses turned into {@link ApiError}, network failures into
 * {@link ApiUnreachableError}, and JSON bodies validated against the contracts' schemas.
 * Resource classes (`BuildsApi`, `BrowseApi`, `TemplatesApi`) are thin layers over it.
 */
export class HttpTransport {
  readonly baseUrl: URL;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly userAgent: string;

  constructor(options: ApiClientOptions) {
    const base = new URL(String(options.baseUrl));
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`baseUrl must be an http:// or https:// URL, got ${base.protocol}`);
    // A trailing slash makes relative paths resolve under a path prefix (`https://h/hfit/`).
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.baseUrl = base;
    this.token = options.token;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.userAgent = options.userAgent ?? 'hfit-api-client';
  }

  /** The absolute URL of `path` with `query`. */
  url(path: string, query: Readonly<Record<string, QueryValue>> = {}): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.baseUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(name, v);
      else url.searchParams.append(name, String(value));
    }
    return url;
  }

  /** Sends the request; any status is returned. Throws only when no answer came. */
  async send(request: TransportRequest): Promise<Response> {
    const method = request.method ?? 'GET';
    const headers = new Headers(request.headers);
    headers.set('User-Agent', this.userAgent);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
    if (this.token !== undefined) headers.set('Authorization', `Bearer ${this.token}`);
    let body: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
    if (request.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(request.json);
    } else if (request.body !== undefined) {
      headers.set('Content-Type', request.body.contentType);
      body = request.body.data;
    }
    try {
      return await this.fetchImpl(this.url(request.path, request.query), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        // A stream body is sent as it is read (fetch requires saying so).
        ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    } catch (err) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      throw new ApiUnreachableError(this.baseUrl.origin, describeRequest(request), err);
    }
  }

  /** Sends the request and throws {@link ApiError} unless the status is one of `statuses`. */
  async expect(request: TransportRequest, statuses: readonly number[] = [200]): Promise<Response> {
    const response = await this.send(request);
    if (statuses.includes(response.status)) return response;
    if (response.ok || response.status < 400) {
      // A success the operation does not define (a proxy's 204, a redirect not followed).
      await response.body?.cancel();
      throw new ApiResponseInvalidError(describeRequest(request), response.status, `status ${response.status} is not one of ${statuses.join(', ')}`);
    }
    throw await ApiError.from(response, describeRequest(request));
  }

  /** Sends the request, expects one of `statuses` and a JSON body matching `schema`. */
  async json<S extends z.ZodType>(request: TransportRequest, schema: S, statuses: readonly number[] = [200]): Promise<ParsedResponse<z.output<S>>> {
    const response = await this.expect(request, statuses);
    let value: unknown;
    try {
      value = await response.json();
    } catch {
      throw new ApiResponseInvalidError(describeRequest(request), response.status, 'the body is not JSON');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ApiResponseInvalidError(describeRequest(request), response.status, parsed.error.issues);
    return { data: parsed.data, response };
  }
}

/** `GET /v1/builds`: how a request is named in errors (never with its query, which may be long or hold filters). */
export function describeRequest(request: Pick<TransportRequest, 'method' | 'path'>): string {
  return `${request.method ?? 'GET'} /${request.path.replace(/^\/+/, '')}`;
}
