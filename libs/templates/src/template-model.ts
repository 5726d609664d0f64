import type { ExportType, RowFormat } from '@hfit/contracts';

/** 1-based YAML line of each field of a step's or export's data, by field name, when known. */
export type FieldLines = Readonly<Record<string, number>>;

/** `option` of a table-create export. */
export type TableCreateOption = 'dropcreate' | 'ifnotexists';

/** Sort key of a volume prepare step. */
export type VolumeSortKey = 'mtime' | 'name' | 'size';

/** Sort of a volume prepare step; the first file after sorting wins. */
export interface VolumeSort {
  readonly key: VolumeSortKey;
  readonly order: 'asc' | 'desc';
}

/**
 * Parsed `regex_replace: "/pattern/replacement/flags"`. The replacement uses JavaScript
 * `String.prototype.replace` syntax (`$1`, `$<name>`, `$&`); every match is replaced. Neither part
 * is variable-substituted: `$1` here is a capture group, not the first input.
 */
export interface RegexReplace {
  /** As written in the template. */
  readonly source: string;
  readonly pattern: string;
  readonly replacement: string;
  /** Flags as written, without `g` (always applied). */
  readonly flags: string;
}

interface StepBase {
  /** Variable this step sets. */
  readonly setVar: string;
  /** Position in `prepare` (0-based). */
  readonly index: number;
  /** 1-based YAML line of the step. */
  readonly line?: number | undefined;
  /** Lines of the step's own fields and of `hdata.*` fields (as `hdata.query`). */
  readonly fieldLines: FieldLines;
}

/** `from: input`: the variable is a template string, typically `$1`. */
export interface InputStep extends StepBase {
  readonly from: 'input';
  readonly source: string;
}

/** `hdata.type: dbquery`: first column of the first row of `query` on source `dbms`. */
export interface DbQueryHotData {
  readonly type: 'dbquery';
  readonly dbms: string;
  /** SQL; references in it are bound as parameters (see `bindQuery`), never pasted. */
  readonly query: string;
}

/** `hdata.type: volume`: name of one file on a volume (optionally rewritten by `regexReplace`). */
export interface VolumeHotData {
  readonly type: 'volume';
  readonly volume: string;
  readonly glob: string;
  /** Default `name|asc` when `sort` is absent; the order defaults to `asc`. */
  readonly sort: VolumeSort;
  readonly regexReplace?: RegexReplace | undefined;
}

/** What a `hot-data` step reads. */
export type HotDataSpec = DbQueryHotData | VolumeHotData;

/** `from: hot-data`: the variable comes from a source or a volume. */
export interface HotDataStep extends StepBase {
  readonly from: 'hot-data';
  readonly hdata: HotDataSpec;
}

/** One `prepare` step; discriminate on `from`, then `hdata.type`. */
export type PrepareStep = InputStep | HotDataStep;

interface ExportBase {
  /** The key as written (unsubstituted); after substitution it is the file name in the package. */
  readonly key: string;
  /** 1-based YAML line of the key. */
  readonly line?: number | undefined;
  /** Lines of `type` and of each `data` field. */
  readonly fieldLines: FieldLines;
}

/** `dbcreate`: CREATE DATABASE/SCHEMA plus DDL of every table of the listed databases. */
export interface DbCreateExportSpec extends ExportBase {
  readonly type: 'dbcreate';
  readonly data: { readonly dbms: string; readonly tablelist: readonly string[] };
}

/** `table-create` (alias `create-table`): DDL of each listed `db.table` (`table:` becomes a one-item list). */
export interface TableCreateExportSpec extends ExportBase {
  readonly type: 'table-create';
  readonly data: {
    readonly dbms: string;
    readonly tablelist: readonly string[];
    readonly option?: TableCreateOption | undefined;
  };
}

/** `table-data`: rows of one table matching `filter`. */
export interface TableDataExportSpec extends ExportBase {
  readonly type: 'table-data';
  readonly data: {
    readonly dbms: string;
    /** `db.table` */
    readonly table: string;
    /** Without the leading `WHERE`; references in it are bound as parameters. */
    readonly filter?: string | undefined;
    /** Default `sql`. */
    readonly format: RowFormat;
    readonly batchSize?: number | undefined;
  };
}

/** `file`: one file copied from a volume. */
export interface FileExportSpec extends ExportBase {
  readonly type: 'file';
  readonly data: { readonly volume: string; readonly path: string };
}

/** `files` (ours): every file of a volume matching `glob`, under folder `dir` (default: the key). */
export interface FilesExportSpec extends ExportBase {
  readonly type: 'files';
  readonly data: { readonly volume: string; readonly glob: string; readonly dir?: string | undefined };
}

/** One export; discriminate on `type` (always the canonical name, never an alias). */
export type ExportSpec =
  | DbCreateExportSpec
  | TableCreateExportSpec
  | TableDataExportSpec
  | FileExportSpec
  | FilesExportSpec;

/** A validated, normalised package template (format v1). Strings are still unsubstituted. */
export interface TemplateModel {
  readonly hfitVersion: 1;
  readonly templateName: string;
  readonly projectName?: string | undefined;
  /** Raw (unsubstituted); defaults to `templateName`. */
  readonly packageName: string;
  readonly prepare: readonly PrepareStep[];
  /** In template order. */
  readonly exports: readonly ExportSpec[];
  /** The YAML text as given. */
  readonly text: string;
  /** True for the legacy `name:` form (no prepare). */
  readonly legacy: boolean;
  /** Highest `$N` referenced anywhere: a build needs at least this many inputs. */
  readonly requiredInputs: number;
}

/** What {@link parseTemplate} returns. */
export type ParsedTemplate = TemplateModel;
