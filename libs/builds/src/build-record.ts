import {
  ArtifactSchema,
  BuildViewSchema,
  ManifestSchema,
  type BuildView,
  type ExportProgress,
} from '@hfit/contracts';
import { z } from 'zod';

/**
 * What hfit keeps about a build: in Redis while it lives (the live catalogue), and as
 * `<id>.build.json` beside the archive once it succeeded (the durable catalogue).
 */
export const BuildRecordSchema = BuildViewSchema.pick({
  id: true,
  state: true,
  templateName: true,
  packageName: true,
  owner: true,
  args: true,
  namedArgs: true,
  options: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  cancelRequestedAt: true,
  error: true,
}).extend({
  /** Positional inputs after named arguments were placed: what `$N` resolves to. */
  inputs: z.array(z.string()),
  templateText: z.string(),
  /** Export keys in template order, known once `prepare` ran. */
  exportKeys: z.array(z.string()).optional(),
  exportTypes: z.record(z.string(), z.string()).optional(),
  artifact: ArtifactSchema.extend({ key: z.string() }).optional(),
  /** Set when retention removed the archive. */
  artifactRemovedAt: z.string().optional(),
});
export type BuildRecord = z.infer<typeof BuildRecordSchema>;

/** The durable record stored beside an archive. */
export const StoredBuildRecordSchema = z.object({
  recordVersion: z.literal(1),
  build: BuildRecordSchema,
  manifest: ManifestSchema,
  progress: z.array(z.object({ name: z.string(), type: z.string(), rows: z.number(), bytes: z.number(), durationMs: z.number().optional() })),
});
export type StoredBuildRecord = z.infer<typeof StoredBuildRecordSchema>;

/** API base path of build links. */
export const API_BASE = '/v1';

/** The API view of a record and its per-export progress. */
export function toBuildView(rec: BuildRecord, exports: readonly ExportProgress[]): BuildView {
  const self = `${API_BASE}/builds/${rec.id}`;
  const done = exports.filter((e) => e.state === 'done').length;
  return {
    id: rec.id,
    state: rec.state,
    templateName: rec.templateName,
    ...(rec.packageName === undefined ? {} : { packageName: rec.packageName }),
    owner: rec.owner,
    args: rec.args,
    namedArgs: rec.namedArgs,
    options: rec.options,
    createdAt: rec.createdAt,
    ...(rec.startedAt === undefined ? {} : { startedAt: rec.startedAt }),
    ...(rec.finishedAt === undefined ? {} : { finishedAt: rec.finishedAt }),
    ...(rec.cancelRequestedAt === undefined ? {} : { cancelRequestedAt: rec.cancelRequestedAt }),
    progress: {
      exportsDone: done,
      exportsTotal: rec.exportKeys?.length ?? 0,
      rows: exports.reduce((n, e) => n + e.rows, 0),
      bytes: exports.reduce((n, e) => n + e.bytes, 0),
      exports: [...exports],
    },
    ...(rec.error === undefined ? {} : { error: rec.error }),
    ...(rec.artifact === undefined || rec.artifactRemovedAt !== undefined
      ? {}
      : { artifact: { name: rec.artifact.name, size: rec.artifact.size, sha256: rec.artifact.sha256, format: rec.artifact.format } }),
    links: {
      self,
      cancel: `${self}/cancel`,
      ...(rec.state === 'succeeded' && rec.artifactRemovedAt === undefined ? { artifact: `${self}/artifact` } : {}),
    },
  };
}
