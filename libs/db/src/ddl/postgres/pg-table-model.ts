import type { TableInfo } from '../../introspection/table-info.js';

/** One column as the DDL reader needs it; texts are as the server deparsed them (empty search_path). */
export interface PgColumnDef {
  readonly name: string;
  /** `format_type()` of the column type, e.g. `integer`, `character varying(20)`, `app.mood[]`. */
  readonly type: string;
  /** `"schema"."collation"` when it differs from the type's default collation, else null. */
  readonly collation: string | null;
  readonly notNull: boolean;
  /** Default expression, or the generation expression of a generated column; null if none. */
  readonly expression: string | null;
  /** `a` GENERATED ALWAYS / `d` BY DEFAULT AS IDENTITY; '' otherwise. */
  readonly identity: '' | 'a' | 'd';
  /** `s` for `GENERATED ALWAYS AS (…) STORED`; '' otherwise. */
  readonly generated: string;
  readonly comment: string | null;
}

/** A table constraint (`pg_constraint`), NOT NULL aside (that is a column property here). */
export interface PgConstraintDef {
  readonly name: string;
  /** `p` primary key, `u` unique, `c` check, `x` exclusion, `f` foreign key. */
  readonly kind: 'p' | 'u' | 'c' | 'x' | 'f';
  /** `pg_get_constraintdef()`, e.g. `FOREIGN KEY (a) REFERENCES app.t(id) ON DELETE CASCADE`. */
  readonly definition: string;
  /** False for `NOT VALID` constraints, which must be added after the table. */
  readonly validated: boolean;
  /** Referenced table of a foreign key. */
  readonly refSchema: string | null;
  readonly refTable: string | null;
  readonly comment: string | null;
}

/** An index not backing a constraint. */
export interface PgIndexDef {
  readonly name: string;
  /** `pg_get_indexdef()`: a complete `CREATE [UNIQUE] INDEX` statement. */
  readonly definition: string;
  readonly comment: string | null;
}

/** A sequence a table uses (column defaults) or owns (serial, identity). */
export interface PgSequenceDef {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  /** `format_type()` of the sequence type (`integer`, `bigint`, …). */
  readonly dataType: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /**
   * The value last returned (`pg_sequence_last_value`), or null when the sequence was never used or
   * the session may not read it. Sequences are not transactional: this is the value at read time.
   */
  readonly lastValue: string | null;
  /** Owning column (serial, identity, `OWNED BY`), or null. */
  readonly owner: { readonly schema: string; readonly table: string; readonly column: string } | null;
  /** True for the sequence of an identity column (declared inline with the column). */
  readonly identity: boolean;
  readonly comment: string | null;
}

/** An enum or domain a table's columns use, directly, through arrays, or through other domains. */
export interface PgTypeDef {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: 'e' | 'd';
  /** Enum labels in sort order. */
  readonly labels: readonly string[];
  /** Domain base type, `format_type()` with its modifier. */
  readonly baseType: string;
  /** Oid of the enum/domain the domain's base builds on (array element resolved), for ordering. */
  readonly baseOid: string | null;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly constraints: readonly { readonly name: string; readonly definition: string; readonly validated: boolean }[];
  readonly comment: string | null;
}

/** Everything the DDL of one table is made of. */
export interface PgTableDef {
  readonly info: TableInfo;
  readonly oid: string;
  readonly unlogged: boolean;
  /** Storage parameters (`reloptions`), e.g. `fillfactor=70`. */
  readonly options: readonly string[];
  readonly comment: string | null;
  readonly columns: readonly PgColumnDef[];
  /** Ordered: primary key, unique, check, exclusion, foreign keys; by name within each. */
  readonly constraints: readonly PgConstraintDef[];
  readonly indexes: readonly PgIndexDef[];
  readonly sequences: readonly PgSequenceDef[];
  readonly types: readonly PgTypeDef[];
}
