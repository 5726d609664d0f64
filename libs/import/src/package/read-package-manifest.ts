import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatPath, HfitError, ManifestSchema, zodIssueMessage, type ErrorDetail, type Manifest } from '@hfit/contracts';
import { packagePathProblem } from './package-path.js';
import { parsePackageTable } from './table-name.js';

/** Where a package keeps its manifest. */
export const PACKAGE_MANIFEST_PATH = 'METADATA/manifest.json';

/** Export types whose files are database exports (they name a source, and data files a table). */
const DATABASE_TYPES = new Set(['dbcreate', 'table-create', 'table-data']);

function invalid(dir: string, message: string, details: readonly ErrorDetail[] = []): HfitError {
  return new HfitError('IMPORT_PACKAGE_INVALID', `${dir} is not a usable hfit package: ${message}`, { details, field: PACKAGE_MANIFEST_PATH });
}

/**
 * Reads and checks `METADATA/manifest.json` of a package folder: valid against the manifest
 * schema, every file path a plain relative path (see {@link packagePathProblem}) listed once,
 * every database export naming a source of the manifest, every table-data file naming its table
 * as `db.table`.
 * @throws HfitError `IMPORT_PACKAGE_INVALID` listing every problem found.
 */
export async function readPackageManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, ...PACKAGE_MANIFEST_PATH.split('/'));
  const info = await lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw invalid(dir, `${PACKAGE_MANIFEST_PATH} is missing`);
    throw err;
  });
  if (!info.isFile()) throw invalid(dir, `${PACKAGE_MANIFEST_PATH} is not a regular file`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalid(dir, `${PACKAGE_MANIFEST_PATH} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ManifestSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: formatPath(i.path as (string | number)[]), message: zodIssueMessage(i) }));
    throw invalid(dir, `${PACKAGE_MANIFEST_PATH} does not match the manifest format (${details.map((d) => `${d.field}: ${d.message}`).join('; ')})`, details);
  }
  const manifest = parsed.data;
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const sources = new Set(manifest.sources.map((s) => s.name));
  for (const [i, f] of manifest.files.entries()) {
    const field = `files.${i}`;
    const bad = packagePathProblem(f.path);
    if (bad) problems.push({ field, message: `path ${JSON.stringify(f.path)} ${bad}` });
    if (seen.has(f.path)) problems.push({ field, message: `path ${JSON.stringify(f.path)} is listed twice` });
    seen.add(f.path);
    if (!DATABASE_TYPES.has(f.type)) continue;
    if (f.source === undefined || !sources.has(f.source))
      problems.push({ field, message: `${f.path}: source ${JSON.stringify(f.source ?? null)} is not among the manifest's sources` });
    if (f.type === 'table-data' && (f.tables?.length !== 1 || !parsePackageTable(f.tables[0] ?? '')))
      problems.push({ field, message: `${f.path}: a table-data file must name exactly one table as "db.table"` });
  }
  if (problems.length) throw invalid(dir, problems.map((p) => p.message).join('; '), problems);
  return manifest;
}
