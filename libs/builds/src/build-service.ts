import type { BuildList, BuildListQuery, BuildValidation, BuildView, CreateBuildRequest } from '@hfit/contracts';
import type { ByteRange, GetResult } from '@hfit/storage';

/** Who is asking: the authenticated user (owner of the builds it submits). */
export interface Caller {
  readonly user: string;
}

/** What {@link BuildService.submit} answers. */
export interface SubmitResult {
  readonly view: BuildView;
  /** False when an `Idempotency-Key` matched an earlier identical request (same build returned). */
  readonly created: boolean;
}

/** An artifact opened for download. */
export interface OpenedArtifact {
  readonly view: BuildView;
  /** The stored object (or the asked range of it); the caller must consume or destroy `body`. */
  readonly object: GetResult;
}

/**
 * The build platform as the API sees it. Every method throws `HfitError` with a code the API maps
 * to problem+json (`BUILD_NOT_FOUND`, `TEMPLATE_INVALID` with every problem in `details`, …).
 * Links in views are absolute paths under `/v1`.
 */
export interface BuildService {
  /**
   * Validates the template, its arguments and references (sources, databases, literal tables,
   * volumes) against the server config, records the build and enqueues it. With an idempotency key,
   * the same key and same request give the same build; same key with another request is
   * `IDEMPOTENCY_CONFLICT`.
   */
  submit(caller: Caller, request: CreateBuildRequest, options?: { readonly idempotencyKey?: string }): Promise<SubmitResult>;
  /**
   * Runs every check of {@link submit} (template, arguments, sources, databases, literal tables,
   * volumes, formats) and queues nothing; throws the same problems.
   */
  validate(caller: Caller, request: CreateBuildRequest): Promise<BuildValidation>;
  /** One build (`BUILD_NOT_FOUND`). */
  get(caller: Caller, id: string): Promise<BuildView>;
  /** Builds newest first, filtered and paged. */
  list(caller: Caller, query: BuildListQuery): Promise<BuildList>;
  /** Asks a queued or running build to stop (`BUILD_FINISHED` if it already ended). */
  cancel(caller: Caller, id: string): Promise<BuildView>;
  /**
   * The newest succeeded build whose package name (or, failing that, template name) is `name`
   * (`PACKAGE_NOT_FOUND`).
   */
  latest(caller: Caller, name: string): Promise<BuildView>;
  /**
   * Opens a succeeded build's archive (`BUILD_NOT_FINISHED`, `ARTIFACT_MISSING` when retention
   * removed it, `STORAGE_RANGE_INVALID` for a range past the end).
   */
  openArtifact(caller: Caller, id: string, range?: ByteRange): Promise<OpenedArtifact>;
  /**
   * With S3 storage and `api.presignSeconds` > 0: a short-lived URL of the archive; otherwise
   * undefined (stream it with {@link openArtifact}).
   */
  presignArtifact(caller: Caller, id: string): Promise<{ readonly view: BuildView; readonly url: string } | undefined>;
}
