import type { Manifest, ManifestFile } from '@hfit/contracts';
import type { PreparedBuild } from './prepare-build.js';
import { sortFiles } from './run-exports.js';

/**
 * The deterministic part of a manifest (no timings): what a prepared build wrote, from the files
 * and sources of every group of exports. Files are sorted by path and sources by name, so the
 * same data gives the same manifest whichever worker wrote which part.
 */
export function composeManifest(
  prepared: PreparedBuild,
  parts: { readonly files: readonly ManifestFile[]; readonly sources: Manifest['sources'] },
  extra: { readonly archive?: Manifest['archive'] } = {},
): Manifest {
  const files = sortFiles(parts.files);
  const sources = [...new Map(parts.sources.map((s) => [s.name, s])).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    manifestVersion: 1,
    hfitVersion: 1,
    templateName: prepared.templateName,
    ...(prepared.projectName === undefined ? {} : { projectName: prepared.projectName }),
    packageName: prepared.packageName,
    templateText: prepared.templateText,
    inputs: [...prepared.inputs],
    variables: [...prepared.variables],
    sources,
    files,
    totals: {
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      rows: files.reduce((n, f) => n + (f.rows ?? 0), 0),
    },
    ...(extra.archive === undefined ? {} : { archive: extra.archive }),
  };
}
