import type { BuildConsistency } from '@hfit/contracts';
import type { ResolvedExport } from '@hfit/templates';

/** Exports that one child job runs, in one snapshot per source. */
export interface ExportGroup {
  /** Position among the build's groups (names its staging folder and its job id). */
  readonly index: number;
  /** What the group reads: `source:<name>`, `volumes`, or the export key. */
  readonly label: string;
  readonly exports: readonly ResolvedExport[];
}

/**
 * Splits a build's exports into child jobs.
 * - `source`: all exports of one source in one group (one snapshot for the source's tables), all
 *   volume exports in one group; groups in order of first appearance.
 * - `export`: one group per export (more parallel; each table read in its own snapshot).
 */
export function groupExports(exports: readonly ResolvedExport[], consistency: BuildConsistency): ExportGroup[] {
  if (consistency === 'export') return exports.map((e, index) => ({ index, label: e.key, exports: [e] }));
  const byLabel = new Map<string, ResolvedExport[]>();
  for (const e of exports) {
    const label = e.type === 'file' || e.type === 'files' ? 'volumes' : `source:${e.data.dbms}`;
    const list = byLabel.get(label) ?? [];
    list.push(e);
    byLabel.set(label, list);
  }
  return [...byLabel].map(([label, list], index) => ({ index, label, exports: list }));
}
