import { z } from 'zod';

/**
 * Path parameters of the browse routes. Only bounded here: names are compared with the configured
 * sources and volumes and with the database's own catalog, never put into SQL or a file path, so
 * anything else (`..`, `/` from `%2F`, NUL) is simply unknown.
 */
const name = (what: string) => z.string().min(1).max(256).describe(what);

/** `:source`. */
export const SourceParamsSchema = z.object({ source: name('Source name, as configured (GET /v1/sources)') });

/** `:source/databases/:database`. */
export const DatabaseParamsSchema = SourceParamsSchema.extend({ database: name('Database (MySQL/MariaDB) or schema (PostgreSQL)') });

/** `:source/databases/:database/tables/:table`. */
export const TableParamsSchema = DatabaseParamsSchema.extend({ table: name('Table name') });

/** `:volume`. */
export const VolumeParamsSchema = z.object({ volume: name('Volume name, as configured (GET /v1/volumes)') });
