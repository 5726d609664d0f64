import type { ImportEvent } from './import-event.js';

/** Options of {@link importPackage}. */
export interface ImportOptions {
  /**
   * `mysql://user:password@host:port/database`, `postgres://…` or `postgresql://…` (see
   * `parseImportTarget`). On MySQL/MariaDB every database of the package is loaded into this one;
   * on PostgreSQL the package's schemas are created in it.
   */
  readonly target: string;
  /** Create the target database when it does not exist (default: it must exist). */
  readonly createDatabase?: boolean | undefined;
  /**
   * Where the package's volume files are copied, keeping their package paths. Default:
   * `<packageName>-files` beside the package folder (`hfit-data/order_42/` →
   * `hfit-data/order_42-files/`).
   */
  readonly filesDir?: string | undefined;
  /** Aborts the import: the table being loaded is rolled back and the signal's reason is thrown. */
  readonly signal?: AbortSignal | undefined;
  /** Progress, as it happens. Must not throw. */
  readonly onProgress?: ((event: ImportEvent) => void) | undefined;
}
