import type { AccessPolicy, BuildList, BuildListQuery, BuildValidation, BuildView, CreateBuildRequest } from '@hfit/contracts';
import type { ByteRange, GetResult } from '@hfit/storage';

/**
 * Who is asking: the authenticated user (owner of the builds it submits) and their current access
 * (an API `Principal` is one). The service decides with it: what may be built, which builds are
 * visible (own ones, and those of users in the `builds` grant), downloaded and cancelled.
 */
export interface Caller {
  readonly user: string;
  readonly policy: AccessPolicy;
}

/** What {@link BuildService.submit} answers. */
export interface SubmitResult {
  readonly view: BuildView;
  /** False when an `Idempotency-Key` matched an earlier identical request (same build returned). */
  readonly created: boolean;
  /** The package name when the template gives it without `prepare` variables (for the audit trail). */
  readonly packageName?: string;
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
   * volumes) against the server config and the caller's access (`FORBIDDEN`: the `build` action,
   * the package, every literal table and volume path, the tables of `prepare` queries), records the
   * build and enqueues it. A caller with `maxConcurrentBuildsPerUser` builds queued or running gets
   * `BUILD_LIMIT_REACHED`. With an idempotency key, the same key and same request give the same
   * build; same key with another request is `IDEMPOTENCY_CONFLICT`. A stored template of another
   * user (`templateOwner`) needs the `templates` grant (`TEMPLATE_NOT_FOUND` otherwise).
   */
  submit(caller: Caller, request: CreateBuildRequest, options?: { readonly idempotencyKey?: string }): Promise<SubmitResult>;
  /**
   * Runs every check of {@link submit} (template, arguments, sources, databases, literal tables,
   * volumes, formats) and queues nothing; throws the same problems.
   */
  validate(caller: Caller, request: CreateBuildRequest): Promise<BuildValidation>;
  /**
   * One build (`BUILD_NOT_FOUND`, also for a build the caller may not see: own builds and those of
   * users in the `builds` grant only, so another user's build is indistinguishable from none).
   */
  get(caller: Caller, id: string): Promise<BuildView>;
  /** Builds newest first, filtered and paged; only those the caller may see. */
  list(caller: Caller, query: BuildListQuery): Promise<BuildList>;
  /**
   * Asks a queued or running build to stop (`BUILD_FINISHED` if it already ended): own builds (with
   * the `build` action) or, with the `admin` action, anyone's (`FORBIDDEN` otherwise; a build the
   * caller may not see is `BUILD_NOT_FOUND`).
   */
  cancel(caller: Caller, id: string): Promise<BuildView>;
  /**
   * The newest succeeded build the caller may see whose package name (or, failing that, template
   * name) is `name` (`PACKAGE_NOT_FOUND`).
   */
  latest(caller: Caller, name: string): Promise<BuildView>;
  /**
   * Opens a succeeded build's archive (`BUILD_NOT_FOUND` as for {@link get}, `FORBIDDEN` without the
   * `download` action, `BUILD_NOT_FINISHED`, `ARTIFACT_MISSING` when retention removed it,
   * `STORAGE_RANGE_INVALID` for a range past the end).
   */
  openArtifact(caller: Caller, id: string, range?: ByteRange): Promise<OpenedArtifact>;
  /**
   * With S3 storage and `api.presignSeconds` > 0: a short-lived URL of the archive; otherwise
   * undefined (stream it with {@link openArtifact}).
   */
  presignArtifact(caller: Caller, id: string): Promise<{ readonly view: BuildView; readonly url: string } | undefined>;
}
