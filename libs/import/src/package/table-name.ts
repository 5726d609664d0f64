/** A `db.table` name of a manifest, split at its first dot. */
export interface PackageTable {
  /** MySQL database or PostgreSQL schema the table was read from. */
  readonly database: string;
  readonly table: string;
}

/** Splits a manifest table name (`db.table`); undefined when it has no dot or an empty part. */
export function parsePackageTable(name: string): PackageTable | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { database: name.slice(0, dot), table: name.slice(dot + 1) };
}
