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
}
