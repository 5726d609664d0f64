import { BuildAcceptedSchema, BuildListSchema, BuildValidationSchema, BuildViewSchema } from '@hfit/contracts';
import type { BuildAccepted, BuildList, BuildState, BuildValidation, BuildView, CreateBuildRequestInput } from '@hfit/contracts';
import { artifactDownloadOf, rangeHeader, type ArtifactDownload, type DownloadArtifactOptions } from './artifact-download.js';
import { segment, type HttpTransport } from './http-transport.js';

/** Options every call takes. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link BuildsApi.submit}. */
export interface SubmitBuildOptions extends CallOptions {
  /**
   * Makes the submit safe to retry: the same key with the same request returns the build it
   * created (`created: false`) instead of a second one. 1-200 printable ASCII characters.
   */
  readonly idempotencyKey?: string;
}

/** What {@link BuildsApi.submit} answers. */
export interface SubmitBuildResult {
  readonly build: BuildAccepted;
  /** False when an idempotency key matched an earlier submit (HTTP 200 instead of 202). */
  readonly created: boolean;
}

/** Filters and paging of {@link BuildsApi.list}. */
export interface BuildListParams {
  readonly template?: string;
  readonly package?: string;
  readonly state?: BuildState;
  /** 1-100, default 20. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** `/v1/builds` and `/v1/packages`: submit, follow, cancel and download builds. */
export class BuildsApi {
  constructor(private readonly transport: HttpTransport) {}

  /** `POST /v1/builds`: validates and queues a build (template text or a stored template's name). */
  async submit(request: CreateBuildRequestInput, options: SubmitBuildOptions = {}): Promise<SubmitBuildResult> {
    const { data, response } = await this.transport.json(
      {
        method: 'POST',
        path: '/v1/builds',
        json: request,
        ...(options.idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': options.idempotencyKey } }),
        signal: options.signal,
      },
      BuildAcceptedSchema,
      [202, 200],
    );
    return { build: data, created: response.status === 202 };
  }

  /**
   * `POST /v1/builds/validate`: the checks of a submit (template, arguments, sources, databases,
   * tables, volumes) without queueing; throws the {@link ApiError} a submit would.
   */
  async validate(request: CreateBuildRequestInput, options: CallOptions = {}): Promise<BuildValidation> {
    return (await this.transport.json({ method: 'POST', path: '/v1/builds/validate', json: request, signal: options.signal }, BuildValidationSchema)).data;
  }

  /** `GET /v1/builds/:id`. */
  async get(id: string, options: CallOptions = {}): Promise<BuildView> {
    return (await this.transport.json({ path: `/v1/builds/${segment(id)}`, signal: options.signal }, BuildViewSchema)).data;
  }

  /** `GET /v1/builds`: newest first, one page. */
  async list(params: BuildListParams = {}, options: CallOptions = {}): Promise<BuildList> {
    const query = { template: params.template, package: params.package, state: params.state, limit: params.limit, cursor: params.cursor };
    return (await this.transport.json({ path: '/v1/builds', query, signal: options.signal }, BuildListSchema)).data;
  }

  /** `POST /v1/builds/:id/cancel`: asks a queued or running build to stop. */
  async cancel(id: string, options: CallOptions = {}): Promise<BuildView> {
    return (await this.transport.json({ method: 'POST', path: `/v1/builds/${segment(id)}/cancel`, signal: options.signal }, BuildViewSchema)).data;
  }

  /** `GET /v1/packages/:name/latest`: the newest succeeded build of a package (or template). */
  async latest(name: string, options: CallOptions = {}): Promise<BuildView> {
    return (await this.transport.json({ path: `/v1/packages/${segment(name)}/latest`, signal: options.signal }, BuildViewSchema)).data;
  }

  /**
   * `GET /v1/builds/:id/artifact`: the archive as a stream, following a redirect to presigned
   * storage. With `range`, check `status`: 206 is the range, 200 the whole archive (the archive
   * changed under `ifRange`, or the server ignored the range).
   */
  async downloadArtifact(id: string, options: DownloadArtifactOptions = {}): Promise<ArtifactDownload> {
    const headers: Record<string, string> = { Accept: '*/*' };
    if (options.range !== undefined) headers['Range'] = rangeHeader(options.range);
    if (options.ifRange !== undefined) headers['If-Range'] = options.ifRange;
    const response = await this.transport.expect({ path: `/v1/builds/${segment(id)}/artifact`, headers, signal: options.signal }, [200, 206]);
    return artifactDownloadOf(response);
  }
}
