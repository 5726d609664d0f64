import path from 'node:path';
import type { SourceConfig, VolumeConfig } from '@hfit/config';
import type { RowFormat } from '@hfit/contracts';
import { buildPackage, DirectorySink } from '@hfit/engine';

/** Options of {@link buildTestPackage}. */
export interface TestPackageOptions {
  readonly volumes?: readonly VolumeConfig[];
  /** Replaces the row format of every table-data export. */
  readonly rowFormat?: RowFormat;
  /** Rows per INSERT statement of `sql` files. */
  readonly batchSize?: number;
}

/**
 * Builds a real package with the engine, as the worker would, into `<work>/hfit-data/<packageName>/`
 * and returns that folder.
 */
export async function buildTestPackage(work: string, template: string, sources: readonly SourceConfig[], options: TestPackageOptions = {}): Promise<string> {
  const result = await buildPackage(
    template,
    [],
    { sources, volumes: options.volumes ?? [], batchSize: options.batchSize ?? 1000 },
    (name) => new DirectorySink(path.join(work, 'hfit-data'), name),
    options.rowFormat ? { rowFormat: options.rowFormat } : {},
  );
  return path.join(work, 'hfit-data', result.packageName);
}
