import type { SourceConfig, VolumeConfig } from '@hfit/config';
import type { RowFormat } from '@hfit/contracts';
import type { CellTransform, TableInfo } from '@hfit/db';

/** What the engine may read: the server configuration's sources and volumes. */
export interface EngineConfig {
  readonly sources: readonly SourceConfig[];
  readonly volumes: readonly VolumeConfig[];
  /** Default rows per INSERT when a template does not say. */
  readonly batchSize: number;
}

/** Progress of a build, reported as it goes. */
export interface BuildProgress {
  readonly phase: 'prepare' | 'export' | 'done';
  /** Export key (after substitution) being worked on, in the export phase. */
  readonly export?: string;
  readonly exportsDone: number;
  readonly exportsTotal: number;
  readonly rows: number;
  readonly bytes: number;
}

/** Options of a build. */
export interface BuildOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: BuildProgress) => void) | undefined;
  /** Clock for manifest timestamps (tests pin it). */
  readonly now?: (() => Date) | undefined;
  /**
   * Column transforms for a table (masking plugs in here). Default: none, values pass through.
   */
  /** Replaces the row format of every table-data export. */
  readonly rowFormat?: RowFormat | undefined;
  readonly transformsFor?: ((source: string, table: TableInfo) => ReadonlyMap<string, CellTransform> | undefined) | undefined;
  /**
   * Asked before anything is read on someone's behalf (the build platform checks the owner's
   * grants here): the package name once known, every table before its DDL or rows are read (and
   * the tables of each `prepare` query before it runs), every database of a `dbcreate`, and every
   * volume file before it is opened (each match of a glob, and the real path of the file actually
   * opened). It throws to refuse (`FORBIDDEN`), which fails the build. Default: everything allowed.
   * With it set, a `prepare` query whose tables cannot be determined is refused.
   */
  readonly authorize?: Authorize | undefined;
}

/** What the engine is about to read, for {@link BuildOptions.authorize}. */
export type ReadRequest =
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'database'; readonly source: string; readonly database: string }
  | { readonly kind: 'table'; readonly source: string; readonly database: string; readonly table: string }
  | { readonly kind: 'volume'; readonly volume: string }
  /** `path` relative to the volume root, normalised (no `.`, `..`, empty segments). */
  | { readonly kind: 'volume-file'; readonly volume: string; readonly path: string };

/** Throws when a read is not allowed; returns when it is. */
export type Authorize = (request: ReadRequest) => void;
