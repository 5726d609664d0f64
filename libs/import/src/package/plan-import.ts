import type { Manifest, ManifestFile, RowFormat } from '@hfit/contracts';
import { dialectLabel, type TargetDialect } from '../target/target-dialect.js';
import { targetTableKey, type TargetTable } from '../target/target-session.js';
import { parsePackageTable } from './table-name.js';

/** A table-data file and the target table it loads into. */
export interface PlannedDataFile {
  readonly file: ManifestFile;
  readonly format: RowFormat;
  readonly table: TargetTable;
}

/** All data files of one target table: they load in one transaction. */
export interface PlannedTable {
  readonly table: TargetTable;
  readonly files: readonly PlannedDataFile[];
}

/** A file the import leaves out, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** What an import does with each file of a package, in the order it does it. */
export interface ImportPlan {
  /** DDL files: every `dbcreate`, then every `table-create`, each group in manifest order. */
  readonly ddl: readonly ManifestFile[];
  /** Data files grouped by target table, in manifest order (foreign-key order is applied later). */
  readonly tables: readonly PlannedTable[];
  /** Volume files (`file`, `files`), copied whatever the target. */
  readonly volumes: readonly ManifestFile[];
  readonly skipped: readonly SkippedFile[];
}

/**
 * Decides what to import: the database files of the sources whose type matches the target's
 * dialect (others are skipped with the reason), and every volume file. Data goes to tables named
 * by the manifest's `db.table`: on MySQL/MariaDB into the target database (every package database
 * maps to it), on PostgreSQL into schema `db` (templates' "databases" are schemas there).
 * The manifest must have passed {@link readPackageManifest}.
 */
export function planImport(manifest: Manifest, dialect: TargetDialect, database: string): ImportPlan {
  const sourceType = new Map(manifest.sources.map((s) => [s.name, s.type]));
  const dbcreate: ManifestFile[] = [];
  const tableCreate: ManifestFile[] = [];
  const tables = new Map<string, { table: TargetTable; files: PlannedDataFile[] }>();
  const volumes: ManifestFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const f of manifest.files) {
    if (f.type === 'file' || f.type === 'files') {
      volumes.push(f);
      continue;
    }
    const type = sourceType.get(f.source ?? '');
    if (type !== dialect) {
      skipped.push({
        file: f.path,
        reason: `source "${f.source ?? ''}" is ${type ? dialectLabel(type) : 'unknown'}; the target is ${dialectLabel(dialect)}`,
      });
      continue;
    }
    if (f.type === 'dbcreate') dbcreate.push(f);
    else if (f.type === 'table-create') tableCreate.push(f);
    else {
      const named = parsePackageTable(f.tables?.[0] ?? '');
      if (!named) throw new TypeError(`manifest file ${f.path} names no table: check it with readPackageManifest first`);
      const table: TargetTable = dialect === 'mysql' ? { schema: database, name: named.table } : { schema: named.database, name: named.table };
      const key = targetTableKey(table);
      let group = tables.get(key);
      if (!group) tables.set(key, (group = { table, files: [] }));
      group.files.push({ file: f, format: f.format ?? 'sql', table });
    }
  }
  return { ddl: [...dbcreate, ...tableCreate], tables: [...tables.values()], volumes, skipped };
}
