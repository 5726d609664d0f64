import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BuildService, Caller, OpenedArtifact, SubmitResult } from '@hfit/builds';
import { canonicalJson, HfitError, isFinalBuildState } from '@hfit/contracts';
import type { ArchiveFormat, BuildList, BuildListQuery, BuildValidation, BuildView, CreateBuildRequest } from '@hfit/contracts';
import type { ByteRange } from '@hfit/storage';

/** One call the API made, for tests to assert what it passed. */
export interface RecordedCall {
  readonly method: keyof BuildService;
  readonly caller: string;
  readonly args: readonly unknown[];
}

interface Entry {
  view: BuildView;
  bytes?: Buffer;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A {@link BuildService} kept in memory, for tests of the HTTP layer (routes, problems, ranges,
 * the api-client). It keeps builds, idempotency keys and artifacts the way the interface
 * describes, records every call, and lets a test drive a build (`succeed`, `update`) or make the
 * next call fail (`failNext`). The real service is tested end to end by `@hfit/builds`.
 */
export class InMemoryBuildService implements BuildService {
  readonly calls: RecordedCall[] = [];
  /** When set, `presignArtifact` answers this URL for succeeded builds. */
  presignUrl: ((id: string) => string) | undefined;
  /** Makes the body stream of `openArtifact` (default: the bytes at once). */
  openBody: ((bytes: Buffer) => Readable) | undefined;
  /** Called before each `get`, with how many `get`s of that id came before (to script progress). */
  beforeGet: ((id: string, count: number) => void) | undefined;

  private readonly entries = new Map<string, Entry>();
  private readonly keys = new Map<string, { readonly hash: string; readonly id: string }>();
  private readonly failures = new Map<keyof BuildService, Error>();
  private readonly gets = new Map<string, number>();
  private seq = 0;

  /** The next call of `method` throws `error`. */
  failNext(method: keyof BuildService, error: Error): void {
    this.failures.set(method, error);
  }

  /** Changes a build. */
  update(id: string, patch: Partial<BuildView>): BuildView {
    const entry = this.require(id);
    entry.view = { ...entry.view, ...patch };
    return clone(entry.view);
  }

  /** Marks a build succeeded with `bytes` as its archive. */
  succeed(id: string, bytes: Buffer, options: { packageName?: string; format?: ArchiveFormat; finishedAt?: string } = {}): BuildView {
    const entry = this.require(id);
    const format = options.format ?? entry.view.options.format;
    const packageName = options.packageName ?? entry.view.templateName;
    entry.bytes = bytes;
    entry.view = {
      ...entry.view,
      state: 'succeeded',
      packageName,
      finishedAt: options.finishedAt ?? new Date().toISOString(),
      artifact: { name: `${packageName}.${format}`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), format },
      links: { ...entry.view.links, artifact: `/v1/builds/${id}/artifact` },
    };
    return clone(entry.view);
  }

  async submit(caller: Caller, request: CreateBuildRequest, options: { readonly idempotencyKey?: string } = {}): Promise<SubmitResult> {
    this.enter('submit', caller, [request, options]);
    const key = options.idempotencyKey;
    const hash = canonicalJson(request);
    if (key !== undefined) {
      const seen = this.keys.get(`${caller.user}\n${key}`);
      if (seen !== undefined) {
        if (seen.hash !== hash) throw new HfitError('IDEMPOTENCY_CONFLICT', `Idempotency-Key "${key}" was used with another request: use a new key for a new build`);
        return { view: clone(this.require(seen.id).view), created: false };
      }
    }
    const id = `b${String(++this.seq).padStart(8, '0')}`;
    const templateName = request.templateName ?? /^templateName:\s*([A-Za-z0-9._-]+)/m.exec(request.template ?? '')?.[1] ?? 'inline';
    const view: BuildView = {
      id,
      state: 'queued',
      templateName,
      owner: caller.user,
      args: [...request.args],
      namedArgs: { ...request.namedArgs },
      options: request.options,
      createdAt: new Date().toISOString(),
      progress: { exportsDone: 0, exportsTotal: 0, rows: 0, bytes: 0, exports: [] },
      links: { self: `/v1/builds/${id}`, cancel: `/v1/builds/${id}/cancel` },
    };
    this.entries.set(id, { view });
    if (key !== undefined) this.keys.set(`${caller.user}\n${key}`, { hash, id });
    return { view: clone(view), created: true };
  }

  async validate(caller: Caller, request: CreateBuildRequest): Promise<BuildValidation> {
    this.enter('validate', caller, [request]);
    const templateName = request.templateName ?? /^templateName:\s*([A-Za-z0-9._-]+)/m.exec(request.template ?? '')?.[1] ?? 'inline';
    return { valid: true, templateName, requiredInputs: request.args.length, inputs: [...request.args], exports: [] };
  }

  async get(caller: Caller, id: string): Promise<BuildView> {
    this.enter('get', caller, [id]);
    const count = this.gets.get(id) ?? 0;
    this.gets.set(id, count + 1);
    this.beforeGet?.(id, count);
    return clone(this.require(id).view);
  }

  async list(caller: Caller, query: BuildListQuery): Promise<BuildList> {
    this.enter('list', caller, [query]);
    const all = [...this.entries.values()]
      .map((e) => e.view)
      .filter((v) => (query.template === undefined || v.templateName === query.template) && (query.package === undefined || v.packageName === query.package))
      .filter((v) => query.state === undefined || v.state === query.state)
      .sort((a, b) => b.id.localeCompare(a.id));
    const start = query.cursor === undefined ? 0 : all.findIndex((v) => v.id === query.cursor) + 1;
    const items = all.slice(start, start + query.limit);
    const more = start + query.limit < all.length;
    return { items: clone(items), ...(more ? { nextCursor: items[items.length - 1]!.id } : {}) };
  }

  async cancel(caller: Caller, id: string): Promise<BuildView> {
    this.enter('cancel', caller, [id]);
    const entry = this.require(id);
    if (isFinalBuildState(entry.view.state)) throw new HfitError('BUILD_FINISHED', `build ${id} already ${entry.view.state}: there is nothing to cancel`);
    const at = new Date().toISOString();
    entry.view = entry.view.state === 'queued' ? { ...entry.view, state: 'cancelled', cancelRequestedAt: at, finishedAt: at } : { ...entry.view, cancelRequestedAt: at };
    return clone(entry.view);
  }

  async latest(caller: Caller, name: string): Promise<BuildView> {
    this.enter('latest', caller, [name]);
    const found = [...this.entries.values()]
      .map((e) => e.view)
      .filter((v) => v.state === 'succeeded' && (v.packageName === name || v.templateName === name))
      .sort((a, b) => b.id.localeCompare(a.id))[0];
    if (found === undefined) throw new HfitError('PACKAGE_NOT_FOUND', `no succeeded build of a package or template named "${name}"`);
    return clone(found);
  }

  async openArtifact(caller: Caller, id: string, range?: ByteRange): Promise<OpenedArtifact> {
    this.enter('openArtifact', caller, [id, range]);
    const entry = this.require(id);
    if (entry.view.state !== 'succeeded') throw new HfitError('BUILD_NOT_FINISHED', `build ${id} is ${entry.view.state}: wait until it succeeds`);
    const bytes = entry.bytes;
    if (bytes === undefined || entry.view.artifact === undefined) throw new HfitError('ARTIFACT_MISSING', `the archive of build ${id} is no longer stored`);
    const size = bytes.length;
    if (range !== undefined && range.start >= size) throw new HfitError('STORAGE_RANGE_INVALID', `Range starting at byte ${range.start} is past the end (${size} bytes)`);
    const span = range === undefined ? undefined : { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
    const slice = span === undefined ? bytes : bytes.subarray(span.start, span.end + 1);
    return {
      view: clone(entry.view),
      object: {
        body: this.openBody?.(slice) ?? Readable.from([slice]),
        contentLength: slice.length,
        size,
        lastModified: new Date(entry.view.finishedAt ?? entry.view.createdAt),
        metadata: {},
        ...(span === undefined ? {} : { range: span }),
      },
    };
  }

  async presignArtifact(caller: Caller, id: string): Promise<{ readonly view: BuildView; readonly url: string } | undefined> {
    this.enter('presignArtifact', caller, [id]);
    const entry = this.require(id);
    if (this.presignUrl === undefined || entry.view.state !== 'succeeded') return undefined;
    return { view: clone(entry.view), url: this.presignUrl(id) };
  }

  private enter(method: keyof BuildService, caller: Caller, args: readonly unknown[]): void {
    this.calls.push({ method, caller: caller.user, args: clone(args) });
    const failure = this.failures.get(method);
    if (failure !== undefined) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private require(id: string): Entry {
    const entry = this.entries.get(id);
    if (entry === undefined) throw new HfitError('BUILD_NOT_FOUND', `no build "${id}"`);
    return entry;
  }
}
