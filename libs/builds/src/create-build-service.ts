import { createHash } from 'node:crypto';
import { Access } from '@hfit/access';
import {
  canonicalJson,
  HfitError,
  isFinalBuildState,
  isHfitError,
  type BuildList,
  type BuildView,
  type CreateBuildRequest,
} from '@hfit/contracts';
import type { EngineConfig } from '@hfit/engine';
import { readJobFailure } from '@hfit/queue';
import type { ObjectStore } from '@hfit/storage';
import { parseTemplate, type TemplateModel } from '@hfit/templates';
import type { Queue } from 'bullmq';
import { isBuildId, newBuildId } from './build-id.js';
import { BUILD_JOB, type BuildJobData, type BuildJobResult } from './build-jobs.js';
import { authorizeTemplate } from './authorize-template.js';
import { toBuildView, type BuildRecord } from './build-record.js';
import type { BuildService, Caller } from './build-service.js';
import type { BuildIndex, BuildStore } from './build-store.js';
import { checkReferences } from './check-references.js';
import { literalValue } from './literal-value.js';
import { resolveInputs } from './resolve-inputs.js';

/** Where stored templates come from (`@hfit/template-store` implements it). */
export interface TemplateSource {
  get(user: string, name: string): Promise<{ readonly text: string }>;
}

/** What {@link createBuildService} needs. */
export interface BuildServiceDeps {
  readonly store: BuildStore;
  readonly objects: ObjectStore;
  /** The sources and volumes submitted templates are checked against. */
  readonly engine: EngineConfig;
  readonly buildQueue: Queue<BuildJobData, BuildJobResult>;
  readonly templates?: TemplateSource;
  /** With a value > 0 and a store that can presign, artifacts are served by redirect. */
  readonly presignSeconds?: number;
  /**
   * Builds one user may have queued or running at once (`api.maxConcurrentBuildsPerUser`); a submit
   * beyond it is `BUILD_LIMIT_REACHED`. 0 = no cap. Default 4, the config's default.
   */
  readonly maxConcurrentBuildsPerUser?: number;
  readonly now?: () => Date;
}

/** Default of {@link BuildServiceDeps.maxConcurrentBuildsPerUser} (that of the config). */
export const DEFAULT_MAX_CONCURRENT_BUILDS_PER_USER = 4;

/** Records scanned at most per list request when filtering by state. */
const MAX_SCAN = 1000;

/** Succeeded builds of one name looked at, at most, by `latest` (others' builds are skipped). */
const MAX_LATEST_SCAN = 500;

/** The answer for a build that does not exist, or that the caller may not see: the same in both cases. */
function buildNotFound(id: string): HfitError {
  return new HfitError('BUILD_NOT_FOUND', `no build "${id}": check the id (builds are listed by GET /v1/builds)`);
}

/** The answer for a stored template that does not exist, or whose owner's templates the caller may not read. */
function templateNotFound(owner: string, name: string): HfitError {
  return new HfitError('TEMPLATE_NOT_FOUND', `template "${name}" not found for user "${owner}": list the stored templates to see their names`, { field: 'name' });
}

/** The {@link BuildService} of the API: validates and enqueues builds, reads the live catalogue. */
export function createBuildService(deps: BuildServiceDeps): BuildService {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const maxActive = deps.maxConcurrentBuildsPerUser ?? DEFAULT_MAX_CONCURRENT_BUILDS_PER_USER;

  async function view(rec: BuildRecord): Promise<BuildView> {
    return toBuildView(rec, await store.exports(rec));
  }

  /** Catches builds whose job failed inside BullMQ (stalled too often) without a processor recording it. */
  async function reconciled(rec: BuildRecord): Promise<BuildRecord> {
    if (isFinalBuildState(rec.state)) return rec;
    const job = await deps.buildQueue.getJob(rec.id);
    if (!job || (await job.getState()) !== 'failed') return rec;
    const error = readJobFailure(job.failedReason);
    return (
      await store.update(rec.id, (r) => (isFinalBuildState(r.state) ? undefined : { ...r, state: 'failed', error, finishedAt: now().toISOString() }))
    ).rec;
  }

  /** A build the caller may see (own, or of a user in their `builds` grant), reconciled with its job. */
  async function load(caller: Caller, id: string): Promise<BuildRecord> {
    if (!isBuildId(id)) throw new HfitError('BUILD_NOT_FOUND', `no build "${id}": build ids look like 0m3x9k2ab5f0c1d2e3f4a5b6c7`);
    const rec = await store.get(id);
    if (!rec || !new Access(caller.policy).canSeeBuildsOf(rec.owner)) throw buildNotFound(id);
    return reconciled(rec);
  }

  async function replay(caller: Caller, key: string, requestHash: string): Promise<BuildView | undefined> {
    const seen = await store.getIdempotency(caller.user, key);
    if (!seen) return undefined;
    if (seen.requestHash !== requestHash)
      throw new HfitError('IDEMPOTENCY_CONFLICT', `Idempotency-Key "${key}" was used with another request: use a new key for a new build`);
    return view(await load(caller, seen.buildId));
  }

  /** The template text of a request: inline, or stored (own, or of a user whose templates the caller may read). */
  async function templateText(caller: Caller, access: Access, request: CreateBuildRequest): Promise<string> {
    if (request.template !== undefined) return request.template;
    const name = request.templateName!;
    const owner = request.templateOwner ?? caller.user;
    if (!deps.templates) throw new HfitError('TEMPLATE_NOT_FOUND', 'this server stores no templates: send the template text');
    if (!access.canSeeTemplatesOf(owner)) throw templateNotFound(owner, name);
    return (await deps.templates.get(owner, name)).text;
  }

  /**
   * Parses and checks a request as a submit does: the caller's access first (the `build` action,
   * then everything the template names literally), before any source is opened; then the
   * references against the sources and volumes.
   */
  async function checked(caller: Caller, request: CreateBuildRequest): Promise<{ model: TemplateModel; inputs: string[] }> {
    const access = new Access(caller.policy);
    access.requireAction('build');
    const model = parseTemplate(await templateText(caller, access, request));
    const inputs = resolveInputs(model, request.args, request.namedArgs);
    authorizeTemplate(model, inputs, access, deps.engine);
    await checkReferences(model, inputs, deps.engine, { rowFormat: request.options.rowFormat });
    return { model, inputs };
  }

  const service: BuildService = {
    async validate(caller, request) {
      const { model, inputs } = await checked(caller, request);
      return {
        valid: true,
        templateName: model.templateName,
        requiredInputs: model.requiredInputs,
        inputs,
        exports: model.exports.map((e) => ({ key: e.key, type: e.type })),
      };
    },


    async submit(caller, request: CreateBuildRequest, options = {}) {
      const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
      const key = options.idempotencyKey;
      if (key !== undefined) {
        const earlier = await replay(caller, key, requestHash);
        if (earlier) return { view: earlier, created: false };
      }
      const { model, inputs } = await checked(caller, request);
      const created = now();
      const id = newBuildId(created);
      if (key !== undefined && !(await store.claimIdempotency(caller.user, key, { requestHash, buildId: id }))) {
        const earlier = await replay(caller, key, requestHash);
        if (earlier) return { view: earlier, created: false };
      }
      const packageName = literalValue(model.packageName, inputs);
      const rec: BuildRecord = {
        id,
        state: 'queued',
        templateName: model.templateName,
        owner: caller.user,
        args: [...request.args],
        namedArgs: { ...request.namedArgs },
        inputs,
        options: request.options,
        templateText: model.text,
        createdAt: created.toISOString(),
      };
      try {
        await store.create(rec, { maxActive });
      } catch (err) {
        if (key !== undefined) await store.releaseIdempotency(caller.user, key, id).catch(() => undefined);
        throw err;
      }
      try {
        await deps.buildQueue.add(BUILD_JOB, { buildId: id }, { jobId: id });
      } catch (err) {
        const error = { code: 'REDIS_UNREACHABLE' as const, message: 'the build could not be queued: the queue is unavailable, submit again later' };
        await store.update(id, (r) => ({ ...r, state: 'failed', error, finishedAt: now().toISOString() })).catch(() => undefined);
        throw new HfitError('REDIS_UNREACHABLE', error.message, { cause: err, permanent: false });
      }
      return { view: await view(rec), created: true, ...(packageName === undefined ? {} : { packageName }) };
    },

    async get(caller, id) {
      return view(await load(caller, id));
    },

    async list(caller, query): Promise<BuildList> {
      const access = new Access(caller.policy);
      const index: BuildIndex =
        query.package !== undefined
          ? { kind: 'package', name: query.package }
          : query.template !== undefined
            ? { kind: 'template', name: query.template }
            : { kind: 'all' };
      let cursor = query.cursor;
      if (cursor !== undefined && !isBuildId(cursor)) throw new HfitError('REQUEST_INVALID', 'cursor is not one this server gave: start without it', { field: 'cursor' });
      const items: BuildView[] = [];
      let scanned = 0;
      let exhausted = false;
      while (items.length < query.limit && scanned < MAX_SCAN) {
        const ids = await store.page(index, Math.min(100, query.limit * 2), cursor);
        if (ids.length === 0) {
          exhausted = true;
          break;
        }
        for (const id of ids) {
          scanned++;
          cursor = id;
          const rec = await store.get(id);
          if (!rec || !access.canSeeBuildsOf(rec.owner)) continue;
          if (query.package !== undefined && query.template !== undefined && rec.templateName !== query.template) continue;
          const r = await reconciled(rec);
          if (query.state !== undefined && r.state !== query.state) continue;
          items.push(await view(r));
          if (items.length === query.limit) break;
        }
      }
      if (!exhausted && cursor !== undefined && (await store.page(index, 1, cursor)).length === 0) exhausted = true;
      return { items, ...(exhausted || cursor === undefined ? {} : { nextCursor: cursor }) };
    },

    async cancel(caller, id) {
      const found = await load(caller, id);
      if (!new Access(caller.policy).canCancelBuildOf(found.owner)) {
        const what = found.owner === caller.user ? 'the "build" action' : `the "admin" action (build ${id} is ${found.owner}'s)`;
        throw new HfitError('FORBIDDEN', `user "${caller.user}" may not cancel build ${id}: that needs ${what}`, { permanent: true });
      }
      const at = now().toISOString();
      const { rec, changed } = await store.update(id, (r) => {
        if (isFinalBuildState(r.state) || r.cancelRequestedAt) return undefined;
        if (r.state === 'queued')
          return { ...r, state: 'cancelled', cancelRequestedAt: at, finishedAt: at, error: { code: 'BUILD_CANCELLED', message: `cancelled by ${caller.user} before it started` } };
        return { ...r, cancelRequestedAt: at };
      });
      if (!changed && rec.state !== 'cancelled' && isFinalBuildState(rec.state))
        throw new HfitError('BUILD_FINISHED', `build ${id} already ${rec.state}: there is nothing to cancel`);
      if (changed) {
        await store.publishCancel(id);
        if (rec.state === 'cancelled') await deps.buildQueue.remove(id).catch(() => undefined);
      }
      return view(rec);
    },

    async latest(caller, name) {
      const access = new Access(caller.policy);
      for (const kind of ['package', 'template'] as const) {
        for (let offset = 0; offset < MAX_LATEST_SCAN; offset += 20) {
          const ids = await store.latestIds(kind, name, 20, offset);
          for (const id of ids) {
            const rec = await store.get(id);
            if (rec?.state === 'succeeded' && rec.artifactRemovedAt === undefined && access.canSeeBuildsOf(rec.owner)) return view(rec);
          }
          if (ids.length < 20) break;
        }
      }
      throw new HfitError('PACKAGE_NOT_FOUND', `no succeeded build of a package or template named "${name}": check the name or build it first`);
    },

    async openArtifact(caller, id, range) {
      const rec = await load(caller, id);
      new Access(caller.policy).requireAction('download');
      if (rec.state === 'cancelled') throw new HfitError('BUILD_CANCELLED', `build ${id} was cancelled: it has no artifact`);
      if (rec.state === 'failed') throw new HfitError('BUILD_NOT_FINISHED', `build ${id} failed (${rec.error?.code ?? 'JOB_FAILED'}): it has no artifact`);
      if (rec.state !== 'succeeded' || !rec.artifact)
        throw new HfitError('BUILD_NOT_FINISHED', `build ${id} is ${rec.state}: wait until it succeeds (GET /v1/builds/${id})`);
      if (rec.artifactRemovedAt !== undefined)
        throw new HfitError('ARTIFACT_MISSING', `the archive of build ${id} was removed by retention on ${rec.artifactRemovedAt}: build it again`);
      try {
        const object = await deps.objects.get(rec.artifact.key, range);
        return { view: await view(rec), object };
      } catch (err) {
        if (isHfitError(err, 'STORAGE_OBJECT_NOT_FOUND'))
          throw new HfitError('ARTIFACT_MISSING', `the archive of build ${id} is no longer in storage: build it again`, { cause: err });
        throw err;
      }
    },

    async presignArtifact(caller, id) {
      const seconds = deps.presignSeconds ?? 0;
      const presign = deps.objects.presignGet?.bind(deps.objects);
      if (seconds <= 0 || presign === undefined) return undefined;
      const rec = await load(caller, id);
      new Access(caller.policy).requireAction('download');
      if (rec.state !== 'succeeded' || !rec.artifact || rec.artifactRemovedAt !== undefined) {
        // Not downloadable: openArtifact throws the problem that says why.
        await service.openArtifact(caller, id);
        return undefined;
      }
      return { view: await view(rec), url: await presign(rec.artifact.key, seconds, { fileName: rec.artifact.name }) };
    },
  };
  return service;
}
