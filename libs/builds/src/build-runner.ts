import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Access } from '@hfit/access';
import { HashingPassThrough, writeDeterministicArchive } from '@hfit/archive';
import {
  HfitError,
  isFinalBuildState,
  isHfitError,
  type ArchiveFormat,
  type AuditInput,
  type AuditSink,
  type ExportProgress,
  type JobFailure,
  type Manifest,
  type PolicyResolver,
} from '@hfit/contracts';
import { composeManifest, MANIFEST_PATH, prepareBuild, runExports, type Authorize, type EngineConfig } from '@hfit/engine';
import type { Logger } from '@hfit/logger';
import { isTransientError, readJobFailure } from '@hfit/queue';
import type { ObjectStore } from '@hfit/storage';
import { WaitingChildrenError, type Job, type Queue } from 'bullmq';
import { authorizeRead } from './authorize-template.js';
import type { BuildRecord, StoredBuildRecord } from './build-record.js';
import {
  EXPORT_JOB,
  exportJobId,
  type BuildJobData,
  type BuildJobResult,
  type ExportJobData,
  type ExportJobResult,
} from './build-jobs.js';
import type { BuildStore } from './build-store.js';
import type { CancelWatcher } from './cancel-watcher.js';
import { groupExports } from './export-groups.js';
import { StagingSink } from './staging-sink.js';
import { artifactKey, groupStagingPrefix, recordKey, stagingPrefix } from './storage-keys.js';

/** What the worker side of the build platform needs. */
export interface BuildRunnerDeps {
  readonly store: BuildStore;
  readonly objects: ObjectStore;
  readonly engine: EngineConfig;
  /** Where build jobs add their export children. */
  readonly exportQueue: Queue<ExportJobData, ExportJobResult>;
  readonly cancels: CancelWatcher;
  readonly logger: Logger;
  /**
   * Every build owner's current access, asked again when each job starts: a user removed (or a
   * token revoked) since the submit, or a grant taken away, fails the build with `FORBIDDEN`.
   */
  readonly policies: PolicyResolver;
  /** Where `build.finish` events go (default: none). */
  readonly audit?: AuditSink;
  /** Temp folder for assembling archives (default: the OS temp dir). */
  readonly tmpDir?: string;
  readonly now?: () => Date;
}

const CONTENT_TYPES: Record<ArchiveFormat, string> = { 'tar.gz': 'application/gzip', zip: 'application/zip' };

/**
 * Runs build and export jobs (the processors of `apps/worker` are one-line calls into this).
 *
 * A build is a BullMQ parent job with one child per export group:
 * 1. the build job runs `prepare` and checks every export, saves the plan in its job data, adds one
 *    export job per group (see `groupExports`) and waits for them;
 * 2. each export job reads its exports (one snapshot per source) and streams the files into object
 *    storage under `staging/<buildId>/<group>/`;
 * 3. when every child is done, the build job is run again: it downloads the staged files (checking
 *    each sha256), writes the deterministic archive with `METADATA/manifest.json`, publishes it and
 *    the build record beside it, marks the build succeeded and removes the staging data.
 * Every step can be re-run after a crash: children have fixed ids, staged files and the archive
 * are written to fixed keys with atomic writes, and the final state change is a compare-and-set.
 */
export class BuildRunner {
  private readonly now: () => Date;

  constructor(private readonly deps: BuildRunnerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Processor of the build queue. */
  async runBuild(job: Job<BuildJobData, BuildJobResult>, token: string | undefined, signal?: AbortSignal): Promise<BuildJobResult> {
    const id = job.data.buildId;
    const { store } = this.deps;
    const rec = await store.get(id);
    if (!rec) throw new HfitError('BUILD_NOT_FOUND', `build ${id} has no record (Redis lost?): submit it again`);
    if (isFinalBuildState(rec.state)) {
      // A re-run after a crash between the final state change and the staging removal.
      await this.removeStaging(id);
      return { state: rec.state };
    }
    const tracked = this.deps.cancels.track(id, signal);
    try {
      return await this.failing(job, rec, async () => {
        if (rec.cancelRequestedAt) throw cancelled(id);
        // Asked again on every run of the parent job: the plan, and the assembly after the exports.
        const access = await this.accessOf(rec);
        let data = job.data;
        if (data.step !== 'children') data = await this.plan(job, tracked.signal, access);
        if (!data.prepared || data.groups === undefined) throw new HfitError('JOB_FAILED', `build job ${id} has no plan`);
        access.requirePackage(data.prepared.packageName);
        await this.addChildren(job, data);
        if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
        return await this.assemble(job, data, tracked.signal);
      });
    } finally {
      tracked.release();
    }
  }

  /** Processor of the export queue. */
  async runExport(job: Job<ExportJobData, ExportJobResult>, signal?: AbortSignal): Promise<ExportJobResult> {
    const { buildId, group, exports } = job.data;
    const { store } = this.deps;
    const rec = await store.get(buildId);
    if (!rec) throw new HfitError('BUILD_NOT_FOUND', `build ${buildId} has no record: its export job cannot run`);
    if (isFinalBuildState(rec.state)) throw new HfitError('BUILD_CANCELLED', `build ${buildId} already ${rec.state}: export group ${group} not run`);
    const tracked = this.deps.cancels.track(buildId, signal);
    try {
      const ran = await this.failing(job, rec, async (): Promise<{ done: ExportJobResult } | { discard: StagingSink }> => {
        if (rec.cancelRequestedAt) throw cancelled(buildId);
        const access = await this.accessOf(rec);
        const sink = new StagingSink(this.deps.objects, groupStagingPrefix(buildId, group));
        let writes = Promise.resolve();
        let current: ExportProgress | undefined;
        const record = (progress: ExportProgress) => {
          // Serialised so a late "running" never overwrites "done".
          writes = writes.then(() => store.setExport(buildId, progress)).catch((err: unknown) => this.deps.logger.warn({ err, buildId }, 'progress not recorded'));
        };
        const result = await runExports(exports, this.deps.engine, sink, {
          signal: tracked.signal,
          authorize: authorizerOf(access),
          onExport: (e) => {
            const progress: ExportProgress = {
              name: e.key,
              type: e.type,
              state: e.state,
              rows: e.rows,
              bytes: e.bytes,
              ...(e.durationMs === undefined ? {} : { durationMs: e.durationMs }),
            };
            current = e.state === 'running' ? progress : undefined;
            record(progress);
            void job.updateProgress({ export: e.key, state: e.state, rows: e.rows, bytes: e.bytes }).catch(() => undefined);
          },
        }).catch(async (err: unknown) => {
          // The export that was running failed (a retry sets it running again).
          if (current) record({ ...current, state: 'failed' });
          await writes;
          await sink.abort();
          throw err;
        });
        await sink.commit();
        await writes;
        // A sibling may have failed (or a cancel ended) the build while this group ran: its
        // staging removal may have listed the folder before these files landed, so take them back.
        const after = await store.get(buildId);
        if (!after || isFinalBuildState(after.state)) return { discard: sink };
        return { done: { group, files: result.files, sources: result.sources, timings: result.timings } };
      });
      if ('done' in ran) return ran.done;
      // Outside `failing`: the build already has its final state and error.
      await ran.discard.abort();
      throw new HfitError('BUILD_CANCELLED', `build ${buildId} ended while export group ${group} ran: its files were discarded`);
    } finally {
      tracked.release();
    }
  }

  /**
   * Runs `fn`; when it fails for good (permanent error, last attempt, or a cancel), records the
   * build's final state and error, tells the other jobs of the build to stop, and rethrows.
   */
  private async failing<T>(job: Job, rec: BuildRecord, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WaitingChildrenError) throw err;
      const current = await this.deps.store.get(rec.id).catch(() => undefined);
      const isCancel = Boolean(current?.cancelRequestedAt) || isHfitError(err, 'BUILD_CANCELLED');
      const final = isCancel || !isTransientError(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) {
        const error: JobFailure = isCancel
          ? { code: 'BUILD_CANCELLED', message: `build ${rec.id} was cancelled` }
          : isHfitError(err)
            ? err.toJSON()
            : { code: 'JOB_FAILED', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
        await this.finish(rec.id, isCancel ? 'cancelled' : 'failed', error);
        await this.deps.store.publishCancel(rec.id).catch(() => undefined);
        this.deps.logger.warn({ buildId: rec.id, job: job.id, code: error.code }, `build ${isCancel ? 'cancelled' : 'failed'}: ${error.message}`);
      } else {
        this.deps.logger.warn({ buildId: rec.id, job: job.id, attempt: job.attemptsMade + 1, err }, 'job failed, will retry');
      }
      throw err;
    }
  }

  /** Marks a build failed or cancelled (unless it already ended) and removes its staging data. */
  async finish(id: string, state: 'failed' | 'cancelled', error: JobFailure): Promise<void> {
    const { changed, rec } = await this.deps.store.update(id, (r) => (isFinalBuildState(r.state) ? undefined : { ...r, state, error, finishedAt: this.now().toISOString() }));
    await this.removeStaging(id);
    if (changed) await this.auditFinish(rec, { outcome: 'failure', code: error.code });
  }

  /**
   * The build owner's access as of now. A user the resolver no longer knows (removed, token revoked
   * or expired) may do nothing, and one without the `build` action may not build: `FORBIDDEN`,
   * which fails the build for good.
   */
  private async accessOf(rec: BuildRecord): Promise<Access> {
    const policy = await this.deps.policies.policyFor(rec.owner);
    if (policy === undefined)
      throw new HfitError('FORBIDDEN', `build ${rec.id}: its owner "${rec.owner}" no longer exists (user removed or token revoked), so it may not run`, { permanent: true });
    const access = new Access(policy);
    access.requireAction('build');
    return access;
  }

  /** Records `build.finish` (a failure to record is logged, never the build's). */
  private async auditFinish(rec: BuildRecord, result: { outcome: 'success' | 'failure'; code?: string; sha256?: string; bytes?: number }): Promise<void> {
    if (this.deps.audit === undefined) return;
    try {
      const exports = await this.deps.store.exports(rec);
      const event: AuditInput = {
        action: 'build.finish',
        outcome: result.outcome,
        actor: 'system',
        via: 'system',
        buildId: rec.id,
        owner: rec.owner,
        target: rec.packageName ?? rec.templateName,
        rows: exports.reduce((n, e) => n + e.rows, 0),
        ...(result.code === undefined ? {} : { code: result.code }),
        ...(result.sha256 === undefined ? {} : { sha256: result.sha256 }),
        ...(result.bytes === undefined ? {} : { bytes: result.bytes }),
      };
      await this.deps.audit.record(event);
    } catch (err) {
      this.deps.logger.warn({ err, buildId: rec.id }, 'build.finish not audited');
    }
  }

  private async plan(job: Job<BuildJobData, BuildJobResult>, signal: AbortSignal, access: Access): Promise<BuildJobData> {
    const id = job.data.buildId;
    const { rec } = await this.deps.store.update(id, (r) => (r.state === 'queued' ? { ...r, state: 'running', startedAt: this.now().toISOString() } : undefined));
    if (isFinalBuildState(rec.state)) throw cancelled(id);
    const prepared = await prepareBuild(rec.templateText, rec.inputs, this.deps.engine, {
      signal,
      authorize: authorizerOf(access),
      ...(rec.options.rowFormat === undefined ? {} : { rowFormat: rec.options.rowFormat }),
    });
    signal.throwIfAborted();
    const groups = groupExports(prepared.exports, rec.options.consistency);
    await this.deps.store.update(id, (r) => ({
      ...r,
      packageName: prepared.packageName,
      exportKeys: prepared.exports.map((e) => e.key),
      exportTypes: Object.fromEntries(prepared.exports.map((e) => [e.key, e.type])),
    }));
    const data: BuildJobData = { buildId: id, step: 'children', prepared, groups: groups.length };
    await job.updateData(data);
    return data;
  }

  private async addChildren(job: Job<BuildJobData, BuildJobResult>, data: BuildJobData): Promise<void> {
    const rec = await this.deps.store.require(data.buildId);
    const groups = groupExports(data.prepared!.exports, rec.options.consistency);
    for (const g of groups) {
      // A fixed job id makes this idempotent: BullMQ ignores an add whose id exists (re-run after a crash).
      await this.deps.exportQueue.add(
        EXPORT_JOB,
        { buildId: data.buildId, group: g.index, label: g.label, exports: g.exports },
        { jobId: exportJobId(data.buildId, g.index), parent: { id: job.id!, queue: job.queueQualifiedName }, failParentOnFailure: true },
      );
    }
  }

  private async assemble(job: Job<BuildJobData, BuildJobResult>, data: BuildJobData, signal: AbortSignal): Promise<BuildJobResult> {
    const id = data.buildId;
    const prepared = data.prepared!;
    const values = Object.values(await job.getChildrenValues<ExportJobResult>());
    if (values.length !== data.groups) throw new HfitError('JOB_FAILED', `build ${id}: ${values.length} of ${data.groups} export groups reported results`);
    const rec = await this.deps.store.require(id);
    if (rec.cancelRequestedAt || isFinalBuildState(rec.state)) throw cancelled(id);
    const format = rec.options.format;
    const base = this.workDir();
    await mkdir(base, { recursive: true });
    // The pid in the name lets a later worker on this host remove what a killed one left (removeOrphanWorkDirs).
    const work = await mkdtemp(path.join(base, `${process.pid}-${id}-`));
    try {
      const entries: { path: string; file: string }[] = [];
      for (const part of values.sort((a, b) => a.group - b.group)) {
        for (const f of part.files) {
          signal.throwIfAborted();
          const file = path.join(work, 'files', ...f.path.split('/'));
          await this.download(`${groupStagingPrefix(id, part.group)}${f.path}`, file, f.sha256);
          entries.push({ path: f.path, file });
        }
      }
      const manifest: Manifest = composeManifest(
        prepared,
        { files: values.flatMap((v) => v.files), sources: values.flatMap((v) => v.sources) },
        { archive: { format } },
      );
      const archiveFile = path.join(work, `archive.${format}`);
      const archived = await writeDeterministicArchive({
        format,
        topFolder: prepared.packageName,
        entries: [...entries, { path: MANIFEST_PATH, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }],
        out: createWriteStream(archiveFile),
      });
      signal.throwIfAborted();
      const key = artifactKey(prepared.packageName, id, format);
      const artifact = { name: `${prepared.packageName}.${format}`, size: archived.bytes, sha256: archived.sha256, format, key };
      await this.deps.objects.publish(key, createReadStream(archiveFile), {
        contentType: CONTENT_TYPES[format],
        metadata: { sha256: archived.sha256, 'build-id': id },
      });
      const finishedAt = this.now().toISOString();
      const done: BuildRecord = { ...rec, state: 'succeeded', finishedAt, artifact };
      const stored: StoredBuildRecord = {
        recordVersion: 1,
        build: done,
        manifest: {
          ...manifest,
          timings: {
            startedAt: rec.startedAt ?? rec.createdAt,
            finishedAt,
            durationMs: Date.parse(finishedAt) - Date.parse(rec.startedAt ?? rec.createdAt),
            exports: Object.assign({}, ...values.map((v) => v.timings)) as Record<string, number>,
          },
        },
        progress: (await this.deps.store.exports(rec)).map((e) => ({
          name: e.name,
          type: e.type,
          rows: e.rows,
          bytes: e.bytes,
          ...(e.durationMs === undefined ? {} : { durationMs: e.durationMs }),
        })),
      };
      await this.deps.objects.publish(recordKey(prepared.packageName, id), Buffer.from(`${JSON.stringify(stored, null, 2)}\n`), {
        contentType: 'application/json',
      });
      const { changed, rec: after } = await this.deps.store.update(id, (r) =>
        r.cancelRequestedAt || isFinalBuildState(r.state) ? undefined : { ...r, state: 'succeeded', finishedAt, artifact },
      );
      if (!changed) {
        // Cancelled while publishing: take the package back out, so a cancelled build leaves nothing.
        await this.deps.objects.delete(key);
        await this.deps.objects.delete(recordKey(prepared.packageName, id));
        throw cancelled(id);
      }
      await this.removeStaging(id);
      await this.auditFinish(after, { outcome: 'success', sha256: archived.sha256, bytes: archived.bytes });
      this.deps.logger.info({ buildId: id, packageName: prepared.packageName, sha256: archived.sha256, bytes: archived.bytes }, 'build succeeded');
      return { state: after.state, sha256: archived.sha256, size: archived.bytes };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Folder under which archives are assembled. */
  private workDir(): string {
    return path.join(this.deps.tmpDir ?? tmpdir(), 'hfit-assembly');
  }

  /**
   * Removes the assembly folders of worker processes on this host that no longer run (a killed
   * worker leaves up to one archive's worth of files behind). Call it when a worker starts.
   */
  async removeOrphanWorkDirs(): Promise<number> {
    const entries = await readdir(this.workDir()).catch(() => [] as string[]);
    let removed = 0;
    for (const name of entries) {
      const pid = Number(/^([0-9]+)-/.exec(name)?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
      await rm(path.join(this.workDir(), name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Copies a staged file to disk, checking that it is exactly what the export job wrote. */
  private async download(key: string, file: string, sha256: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const got = await this.deps.objects.get(key);
    const hashing = new HashingPassThrough();
    await pipeline(got.body, hashing, createWriteStream(file));
    const actual = hashing.sha256();
    if (actual !== sha256)
      throw new HfitError('ARCHIVE_FAILED', `staged file ${key} has sha256 ${actual}, but its export job wrote ${sha256}: the staging area was changed`, {
        permanent: false,
      });
  }

  /** Removes everything a build staged (best effort: maintenance removes what is left). */
  async removeStaging(id: string): Promise<void> {
    try {
      // List first, then delete: deleting while a listing walks the same folders can skip entries.
      const keys: string[] = [];
      for await (const o of this.deps.objects.list(stagingPrefix(id))) keys.push(o.key);
      for (const key of keys) await this.deps.objects.delete(key);
    } catch (err) {
      this.deps.logger.warn({ err, buildId: id }, 'staging data not removed; maintenance will retry');
    }
  }

  /**
   * Reconciles a record with its job when the job ended without the record saying so (a job that
   * stalled too often fails inside BullMQ, not in a processor).
   */
  static failureOf(job: Job | undefined): JobFailure | undefined {
    return job?.failedReason ? readJobFailure(job.failedReason) : undefined;
  }
}

/** True when a process with this pid exists (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The engine's authorize hook over one owner's access. */
function authorizerOf(access: Access): Authorize {
  return (request) => authorizeRead(access, request);
}

function cancelled(id: string): HfitError {
  return new HfitError('BUILD_CANCELLED', `build ${id} was cancelled`);
}

