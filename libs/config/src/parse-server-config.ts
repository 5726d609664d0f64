import { statSync } from 'node:fs';
import path from 'node:path';
import { formatPath, zodIssueMessage } from '@hfit/contracts';
import type { ErrorDetail, PathSegment } from '@hfit/contracts';
import { YamlLocator } from '@hfit/contracts/yaml';
import { LineCounter, parseDocument } from 'yaml';
import { configError } from './config-problems.js';
import { interpolateEnv } from './interpolate-env.js';
import type { LoadedServerConfig } from './loaded-server-config.js';
import { DEFAULT_PORTS, ServerConfigSchema } from './server-config-schema.js';
import type { SourceConfig, StorageConfig, VolumeConfig } from './server-config-schema.js';

/** Environment variables visible to `${VAR}` interpolation. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** Options of {@link parseServerConfig}. */
export interface ParseServerConfigOptions {
  /** Directory that relative volume roots are resolved against. Default: the current directory. */
  readonly baseDir?: string;
  /** Shown in error messages and kept on the result. */
  readonly path?: string;
  /** Check that every volume root is an existing directory (file-system access). Default false. */
  readonly checkVolumeRoots?: boolean;
}

/** Interpolates every string value in place, recording problems; returns the paths that failed. */
function interpolateTree(value: unknown, env: ConfigEnv, at: PathSegment[], problems: (path: PathSegment[], message: string) => void): unknown {
  if (typeof value === 'string') {
    const r = interpolateEnv(value, env);
    if (r.ok) return r.value;
    problems(at, r.problem);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, env, [...at, i], problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, env, [...at, k], problems)]));
  }
  return value;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Parses and validates server config YAML: `${ENV_VAR}` / `${ENV_VAR:-default}` interpolation in
 * string values (`$$` for a literal `$`), the zod schema, per-type default ports and absolute
 * volume roots. Reads no files unless `checkVolumeRoots` is set.
 * @param env the variables for interpolation (tests pass their own; `loadServerConfig` passes the
 *   process environment).
 * @throws HfitError CONFIG_INVALID listing every bad field with its line; messages never contain
 *   config values.
 */
export function parseServerConfig(text: string, env: ConfigEnv, options: ParseServerConfigOptions = {}): LoadedServerConfig {
  const where = options.path ?? '(text)';
  const lineCounter = new LineCounter();
  // prettyErrors would quote the offending source line, which may hold a password.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw configError(
      where,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { message: `YAML syntax error (${e.code}) at column ${pos.col}`, line: pos.line };
      }),
    );
  }
  const locator = new YamlLocator(doc, lineCounter);
  const problems: ErrorDetail[] = [];
  const add = (at: readonly PathSegment[], message: string) => {
    const line = locator.lineOf(at);
    problems.push({ field: formatPath(at), message, ...(line === undefined ? {} : { line }) });
  };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw configError(where, [{ message: `YAML cannot be read: ${(e as Error).name}` }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(where, [{ message: 'must be a YAML map with sources, volumes and extraction', line: 1 }]);
  }

  const failed: string[] = [];
  const interpolated = interpolateTree(raw, env, [], (at, message) => {
    failed.push(formatPath(at));
    add(at, message);
  });
  const result = ServerConfigSchema.safeParse(interpolated, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const at = issue.path as PathSegment[];
      const field = formatPath(at);
      // A field whose interpolation failed is already reported; its schema issue is just noise.
      if (failed.some((f) => field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`))) continue;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add([...at, key], 'unknown field: remove it or check its spelling');
      } else {
        add(at, zodIssueMessage(issue));
      }
    }
  }
  if (problems.length > 0 || !result.success) throw configError(where, problems);

  const baseDir = path.resolve(options.baseDir ?? '.');
  const cfg = result.data;
  const sources: SourceConfig[] = Object.entries(cfg.sources).map(([name, s]) => ({
    ...s,
    name,
    port: s.port ?? DEFAULT_PORTS[s.type],
  }));
  const volumes: VolumeConfig[] = Object.entries(cfg.volumes).map(([name, v]) => ({
    ...v,
    name,
    root: path.resolve(baseDir, v.root),
  }));
  if (options.checkVolumeRoots) {
    for (const v of volumes) {
      if (!isDirectory(v.root)) {
        add(['volumes', v.name, 'root'], `${v.root} is not an existing directory: create it or fix the path`);
      }
    }
    if (problems.length > 0) throw configError(where, problems);
  }
  const storage: StorageConfig = cfg.storage.type === 'fs' ? { ...cfg.storage, root: path.resolve(baseDir, cfg.storage.root) } : cfg.storage;
  return { ...(options.path === undefined ? {} : { path: options.path }), sources, volumes, extraction: cfg.extraction, storage, redis: cfg.redis, api: cfg.api, worker: cfg.worker, auth: cfg.auth, audit: { ...cfg.audit, dir: path.resolve(baseDir, cfg.audit.dir) } };
}
