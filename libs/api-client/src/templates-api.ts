import { PatchResultSchema, TemplateListSchema, TemplateTextSchema, UploadReportSchema } from '@hfit/contracts';
import type { PatchRequest, PatchResult, TemplateSummary, TemplateText, UploadReport } from '@hfit/contracts';
import { ApiResponseInvalidError } from './api-response-invalid-error.js';
import type { CallOptions } from './builds-api.js';
import { describeRequest, segment, type HttpTransport, type TransportRequest } from './http-transport.js';

/** A `.tar.gz` of templates: bytes, a web stream, or any async iterable of chunks (a Node `Readable`). */
export type TemplateArchive = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of {@link TemplatesApi.upload}. */
export interface UploadTemplatesOptions extends CallOptions {
  /** Replace stored templates whose text differs (default: such files are reported as errors). */
  readonly overwrite?: boolean;
}

const YAML = /^(application|text)\/(x-)?yaml$/i;

function path(name: string): string {
  return `/v1/templates/${segment(name)}`;
}

/**
 * `/v1/templates`: the caller's stored templates, which builds name with `templateName`. Every
 * write is validated on the server; its problems (`TEMPLATE_INVALID` listing every error with its
 * line, `TEMPLATE_EXISTS`, `TEMPLATE_NAME_MISMATCH`) come back as `ApiError`.
 */
export class TemplatesApi {
  constructor(private readonly transport: HttpTransport) {}

  /** `GET /v1/templates`: name, size, sha256 and time of each, sorted by name. */
  async list(options: CallOptions = {}): Promise<TemplateSummary[]> {
    return (await this.transport.json({ path: '/v1/templates', signal: options.signal }, TemplateListSchema)).data.items;
  }

  /** `GET /v1/templates/:name`: the text with its sha256 and time. */
  async get(name: string, options: CallOptions = {}): Promise<TemplateText> {
    return (await this.transport.json({ path: path(name), signal: options.signal }, TemplateTextSchema)).data;
  }

  /** `GET /v1/templates/:name` with `Accept: application/yaml`: the YAML exactly as stored. */
  async getYaml(name: string, options: CallOptions = {}): Promise<string> {
    const request: TransportRequest = { path: path(name), headers: { Accept: 'application/yaml, application/problem+json' }, signal: options.signal };
    const response = await this.transport.expect(request);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!YAML.test(type)) {
      await response.body?.cancel();
      throw new ApiResponseInvalidError(describeRequest(request), response.status, `expected YAML, got ${type === '' ? 'no Content-Type' : type}`);
    }
    return response.text();
  }

  /** `POST /v1/templates`: stores a new template under the `templateName` its text gives. */
  async create(text: string, options: CallOptions = {}): Promise<TemplateText> {
    return (await this.transport.json({ method: 'POST', path: '/v1/templates', json: { text }, signal: options.signal }, TemplateTextSchema, [201])).data;
  }

  /** `PUT /v1/templates/:name`: replaces the text (its `templateName` must stay `name`). */
  async update(name: string, text: string, options: CallOptions = {}): Promise<TemplateText> {
    return (await this.transport.json({ method: 'PUT', path: path(name), json: { text }, signal: options.signal }, TemplateTextSchema)).data;
  }

  /**
   * `PATCH /v1/templates/:name` (JSON merge patch of the top level: each key replaces the whole
   * value, `null` removes it): the stored template and the diff, one entry per changed key.
   */
  async patch(name: string, patch: PatchRequest, options: CallOptions = {}): Promise<PatchResult> {
    const body = { contentType: 'application/merge-patch+json', data: JSON.stringify(patch) };
    return (await this.transport.json({ method: 'PATCH', path: path(name), body, signal: options.signal }, PatchResultSchema)).data;
  }

  /** `DELETE /v1/templates/:name`. */
  async delete(name: string, options: CallOptions = {}): Promise<void> {
    await this.transport.expect({ method: 'DELETE', path: path(name), signal: options.signal }, [204]);
  }

  /**
   * `POST /v1/templates/upload`: stores every `*.yaml`/`*.yml` of a `.tar.gz`; the report has one
   * line per archive entry (`created`, `updated`, `unchanged`, `skipped`, `error` with the reason).
   * A stream is sent as it is read (chunked), never held in memory here.
   */
  async upload(archive: TemplateArchive, options: UploadTemplatesOptions = {}): Promise<UploadReport> {
    const data = archive instanceof Uint8Array || archive instanceof ReadableStream ? archive : ReadableStream.from(archive);
    const request: TransportRequest = {
      method: 'POST',
      path: '/v1/templates/upload',
      query: { overwrite: options.overwrite === undefined ? undefined : String(options.overwrite) },
      body: { contentType: 'application/gzip', data },
      signal: options.signal,
    };
    return (await this.transport.json(request, UploadReportSchema)).data;
  }
}
