import type { RowFormat } from '@hfit/contracts';
import type { QueryParts } from './bind-query.js';
import type { FieldLines, RegexReplace, TableCreateOption, VolumeSort } from './template-model.js';

interface ResolvedExportBase {
  /** The key as written in the template. */
  readonly key: string;
  /**
   * Sanitised path inside the package folder: the substituted key, or for `files` the substituted
   * `dir` (default: the key) under which the matched files go.
   */
  readonly name: string;
  readonly line?: number | undefined;
  readonly fieldLines: FieldLines;
}

/** A `dbcreate` export after substitution. */
export interface ResolvedDbCreateExport extends ResolvedExportBase {
  readonly type: 'dbcreate';
  readonly data: { readonly dbms: string; readonly tablelist: readonly string[] };
}

/** A `table-create` export after substitution. */
export interface ResolvedTableCreateExport extends ResolvedExportBase {
  readonly type: 'table-create';
  readonly data: {
    readonly dbms: string;
    readonly tablelist: readonly string[];
    readonly option?: TableCreateOption | undefined;
  };
}

/** A `table-data` export after substitution; the filter's references are parameters, not text. */
export interface ResolvedTableDataExport extends ResolvedExportBase {
  readonly type: 'table-data';
  readonly data: {
    readonly dbms: string;
    readonly table: string;
    /** Without `WHERE`. Render with `renderQuery(filter, placeholder)`; never paste `params`. */
    readonly filter?: QueryParts | undefined;
    readonly format: RowFormat;
    readonly batchSize?: number | undefined;
  };
}

/** A `file` export after substitution (`path` is still to be confined to the volume). */
export interface ResolvedFileExport extends ResolvedExportBase {
  readonly type: 'file';
  readonly data: { readonly volume: string; readonly path: string };
}

/** A `files` export after substitution; substituted values in `glob` are glob-escaped. */
export interface ResolvedFilesExport extends ResolvedExportBase {
  readonly type: 'files';
  readonly data: { readonly volume: string; readonly glob: string; readonly dir: string };
}

/** One export ready to run. */
export type ResolvedExport =
  | ResolvedDbCreateExport
  | ResolvedTableCreateExport
  | ResolvedTableDataExport
  | ResolvedFileExport
  | ResolvedFilesExport;

/** Result of `substituteTemplate`: the package folder name and every export, in template order. */
export interface ResolvedExports {
  /** Sanitised single path segment. */
  readonly packageName: string;
  readonly exports: readonly ResolvedExport[];
}

interface ResolvedStepBase {
  readonly setVar: string;
  readonly index: number;
  readonly line?: number | undefined;
  readonly fieldLines: FieldLines;
}

/** A `from: input` step after substitution: `value` is the variable's value. */
export interface ResolvedInputStep extends ResolvedStepBase {
  readonly from: 'input';
  /** As written, e.g. `$1` (for the manifest's `origin`). */
  readonly source: string;
  readonly value: string;
}

/** A `dbquery` step ready to run: render `query` with the source's placeholder style. */
export interface ResolvedDbQueryStep extends ResolvedStepBase {
  readonly from: 'hot-data';
  readonly hdata: { readonly type: 'dbquery'; readonly dbms: string; readonly query: QueryParts };
}

/** A `volume` step ready to run; substituted values in `glob` are glob-escaped. */
export interface ResolvedVolumeStep extends ResolvedStepBase {
  readonly from: 'hot-data';
  readonly hdata: {
    readonly type: 'volume';
    readonly volume: string;
    readonly glob: string;
    readonly sort: VolumeSort;
    readonly regexReplace?: RegexReplace | undefined;
  };
}

/** A prepare step after substitution. */
export type ResolvedPrepareStep = ResolvedInputStep | ResolvedDbQueryStep | ResolvedVolumeStep;
