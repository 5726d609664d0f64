/** What kind of package file an event is about. */
export type ImportFileKind = 'ddl' | 'data' | 'volume';

/** Progress of {@link importPackage}, in the order things happen. */
export type ImportEvent =
  /** Every file of the manifest matched its size and sha256. */
  | { readonly type: 'verified'; readonly files: number; readonly bytes: number }
  /** A file left out (another dialect's export). */
  | { readonly type: 'file-skipped'; readonly file: string; readonly reason: string }
  | { readonly type: 'file-started'; readonly file: string; readonly kind: ImportFileKind; readonly table?: string | undefined }
  /** Rows loaded so far from a data file (not yet committed); `expected`: the manifest's count. */
  | { readonly type: 'rows'; readonly file: string; readonly table: string; readonly rows: number; readonly expected?: number | undefined }
  | {
      readonly type: 'file-done';
      readonly file: string;
      readonly kind: ImportFileKind;
      readonly table?: string | undefined;
      /** Rows (data files), statements (DDL files) or bytes (volume files). */
      readonly rows?: number | undefined;
      readonly statements?: number | undefined;
      readonly bytes?: number | undefined;
      readonly durationMs: number;
    }
  /** The data of one table was committed. */
  | { readonly type: 'table-committed'; readonly table: string; readonly rows: number };
