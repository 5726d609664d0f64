import { isFinalBuildState, type ExportProgress } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import type { ObjectStore } from '@hfit/storage';
import { isBuildId } from './build-id.js';
import { StoredBuildRecordSchema, type StoredBuildRecord } from './build-record.js';
import type { BuildStore } from './build-store.js';
import { PACKAGES_PREFIX, RECORD_SUFFIX, STAGING_PREFIX } from './storage-keys.js';

/** Creation time of a build, from its id. */
export function buildIdTime(id: string): number {
  return parseInt(id.slice(0, 9), 36);
}

/** Splits `packages/<pkg>/<id>.<ext>` into its parts (undefined for other keys). */
function packageObject(key: string): { pkg: string; id: string; isRecord: boolean } | undefined {
  const m = /^packages\/([^/]+)\/([0-9a-z]{25})\.(.+)$/.exec(key);
  if (!m || !isBuildId(m[2]!)) return undefined;
  return { pkg: m[1]!, id: m[2]!, isRecord: key.endsWith(RECORD_SUFFIX) };
}

async function readRecord(objects: ObjectStore, key: string): Promise<StoredBuildRecord> {
  const got = await objects.get(key);
  const chunks: Buffer[] = [];
  for await (const c of got.body) chunks.push(c as Buffer);
  return StoredBuildRecordSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Puts back into Redis every published build that the live catalogue lacks, from the build records
 * stored beside the archives: after a Redis loss, every package is listed and downloadable again.
 * Unreadable records are skipped and logged. Then recounts each user's queued and running builds
 * (`api.maxConcurrentBuildsPerUser`) from the records (see `BuildStore.recountActive`).
 */
export async function rebuildCatalogue(
  store: BuildStore,
  objects: ObjectStore,
  logger: Logger,
): Promise<{ scanned: number; restored: number; active: { counted: number; dropped: number } }> {
  let scanned = 0;
  let restored = 0;
  for await (const o of objects.list(PACKAGES_PREFIX)) {
    const p = packageObject(o.key);
    if (!p?.isRecord) continue;
    scanned++;
    if (await store.get(p.id)) continue;
    try {
      const stored = await readRecord(objects, o.key);
      const archive = stored.build.artifact && (await objects.head(stored.build.artifact.key));
      await store.create(archive ? stored.build : { ...stored.build, artifactRemovedAt: new Date().toISOString() });
      for (const e of stored.progress) {
        const progress: ExportProgress = { ...e, state: 'done' };
        await store.setExport(p.id, progress);
      }
      restored++;
    } catch (err) {
      logger.warn({ err, key: o.key }, 'build record not restored: unreadable');
    }
  }
  const active = await store.recountActive();
  return { scanned, restored, active };
}

/** Retention rules (see the config's `storage.retention`). */
export interface RetentionRules {
  readonly keepLast?: number | undefined;
  readonly maxAgeDays?: number | undefined;
}

/**
 * Removes published builds beyond the newest `keepLast` of each package and those older than
 * `maxAgeDays`: the archive first, the build record last (an interrupted run leaves the record, so
 * the next run finds the build again). The live catalogue keeps the build with `artifactRemovedAt`.
 */
export async function applyRetention(
  store: BuildStore,
  objects: ObjectStore,
  rules: RetentionRules,
  now: Date = new Date(),
): Promise<{ removed: string[] }> {
  const removed: string[] = [];
  if (rules.keepLast === undefined && rules.maxAgeDays === undefined) return { removed };
  const byPackage = new Map<string, Map<string, string[]>>();
  for await (const o of objects.list(PACKAGES_PREFIX)) {
    const p = packageObject(o.key);
    if (!p) continue;
    const builds = byPackage.get(p.pkg) ?? new Map<string, string[]>();
    builds.set(p.id, [...(builds.get(p.id) ?? []), o.key]);
    byPackage.set(p.pkg, builds);
  }
  const oldest = rules.maxAgeDays === undefined ? -Infinity : now.getTime() - rules.maxAgeDays * 86_400_000;
  for (const builds of byPackage.values()) {
    const ids = [...builds.keys()].sort().reverse();
    for (const [i, id] of ids.entries()) {
      if (i < (rules.keepLast ?? Infinity) && buildIdTime(id) >= oldest) continue;
      const keys = builds.get(id)!.sort((a, b) => Number(a.endsWith(RECORD_SUFFIX)) - Number(b.endsWith(RECORD_SUFFIX)));
      for (const k of keys) await objects.delete(k);
      const { rec } = await store
        .update(id, (r) => (r.artifactRemovedAt ? undefined : { ...r, artifactRemovedAt: now.toISOString() }))
        .catch(() => ({ rec: undefined }));
      if (rec) await store.removeFromLatest(rec);
      removed.push(id);
    }
  }
  return { removed };
}

/**
 * Removes staging data nobody will use: that of builds that ended, and that of unknown builds
 * (Redis lost) older than `maxAgeMs`; then the store's own abandoned uploads older than `maxAgeMs`.
 */
export async function cleanupStaging(
  store: BuildStore,
  objects: ObjectStore,
  maxAgeMs: number,
  now: Date = new Date(),
): Promise<{ builds: number; objects: number; uploads: number }> {
  const byBuild = new Map<string, string[]>();
  for await (const o of objects.list(STAGING_PREFIX)) {
    const id = o.key.slice(STAGING_PREFIX.length).split('/')[0]!;
    byBuild.set(id, [...(byBuild.get(id) ?? []), o.key]);
  }
  let builds = 0;
  let count = 0;
  for (const [id, keys] of byBuild) {
    const rec = isBuildId(id) ? await store.get(id) : undefined;
    const stale = rec ? isFinalBuildState(rec.state) : !isBuildId(id) || now.getTime() - buildIdTime(id) > maxAgeMs;
    if (!stale) continue;
    for (const k of keys) await objects.delete(k);
    builds++;
    count += keys.length;
  }
  const { removed } = await objects.cleanupStaging(maxAgeMs);
  return { builds, objects: count, uploads: removed };
}
