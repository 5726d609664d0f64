import { sql } from 'kysely';
import type { ExtractionSession } from '../../connection/extraction-session.js';
import type { TableInfo } from '../../introspection/table-info.js';
import { ddlHeader } from '../ddl-header.js';
import type { DdlOption } from '../ddl-options.js';
import { orderTables } from '../order-tables.js';
import { compareCodeUnits, tableKey } from '../resolve-tables.js';
import { guardedBlock, SKIP_IF_EXISTS } from './guarded-block.js';
import type { PgConstraintDef, PgSequenceDef, PgTableDef, PgTypeDef } from './pg-table-model.js';
import { POSTGRES_SCRIPT_SETTINGS } from './postgres-script-settings.js';
import { qualifiedPgName, quotePgIdentifier } from './quote-pg-identifier.js';
import { quotePgLiteral } from './quote-pg-literal.js';
import { readPgTables } from './read-pg-tables.js';
import { renderPgComment } from './render-pg-comment.js';
import { renderPgCreateSequence, renderPgSetval } from './render-pg-sequence.js';
import { renderPgCreateTable, renderPgIndexes } from './render-pg-table.js';
import { renderPgType } from './render-pg-type.js';
import { withEmptySearchPath } from './with-empty-search-path.js';

/** What a PostgreSQL script exports: listed tables, or whole schemas (templates' "databases"). */
export type PgDdlScope =
  | { readonly kind: 'table'; readonly tables: readonly TableInfo[] }
  | { readonly kind: 'database'; readonly schemas: readonly string[]; readonly tables: readonly TableInfo[] };

/**
 * Builds a PostgreSQL DDL script from pg_catalog (no pg_dump): schemas, the enums and domains the
 * tables use, their sequences, the tables in foreign-key order with inline constraints, indexes,
 * comments and sequence positions, then the constraints that must come last.
 *
 * Objects the script may share with what is already in the target (types, sequences not owned by
 * an exported table, schemas other than the exported ones) are created only if missing, whatever
 * the option: two table exports using one enum must both load. `dropcreate` drops the exported
 * tables (`CASCADE`), never shared objects or schemas.
 */
export async function writePostgresDdl(session: ExtractionSession, scope: PgDdlScope, option: DdlOption | undefined): Promise<string> {
  const db = session.connection.kysely;
  const { tables: ordered, deferred } = orderTables(scope.tables);
  const defs = await withEmptySearchPath(db, () => readPgTables(db, ordered));
  const schemaComments = new Map<string, string | null>();
  if (scope.kind === 'database')
    for (const schema of scope.schemas) {
      const r = await sql<{ comment: string | null }>`SELECT obj_description(n.oid, 'pg_namespace') AS comment
        FROM pg_namespace n WHERE n.nspname = ${schema}`.execute(db);
      schemaComments.set(schema, r.rows[0]?.comment ?? null);
    }

  const ifNotExists = option === 'ifnotexists';
  const exported = new Set(scope.kind === 'database' ? scope.schemas : []);
  const listed = new Set(ordered.map(tableKey));
  /** Plain CREATE only for what this script owns outright: the exported schemas' objects. */
  const ownsSchemaObjects = (schema: string) => option === undefined && exported.has(schema);
  const ownedByListed = (s: PgSequenceDef) => s.owner !== null && listed.has(tableKey({ database: s.owner.schema, name: s.owner.table }));

  const types = orderTypes(defs.flatMap((d) => d.types));
  const sequences = uniqueBy(defs.flatMap((d) => d.sequences), (s) => s.oid).sort(
    (a, b) => compareCodeUnits(a.schema, b.schema) || compareCodeUnits(a.name, b.name),
  );
  const plainSequence = (s: PgSequenceDef) => !ifNotExists && (ownedByListed(s) || ownsSchemaObjects(s.schema));

  const chunks: string[] = [ddlHeader('postgres', scope.kind, option), POSTGRES_SCRIPT_SETTINGS];

  if (option === 'dropcreate' && defs.length)
    chunks.push(
      [...defs]
        .reverse()
        .map((d) => `DROP TABLE IF EXISTS ${qualifiedPgName(d.info.database, d.info.name)} CASCADE;`)
        .join('\n'),
    );

  // Schemas: the exported ones (database scope), then any other the objects live in. `public`
  // exists in every new database, and creating it needs rights a loader may lack.
  if (scope.kind === 'database')
    for (const s of scope.schemas) {
      if (s === 'public') continue;
      const create = `CREATE SCHEMA ${option ? 'IF NOT EXISTS ' : ''}${quotePgIdentifier(s)};`;
      const comment = renderPgComment(`SCHEMA ${quotePgIdentifier(s)}`, schemaComments.get(s) ?? null);
      chunks.push(comment ? `${create}\n${comment}` : create);
    }
  const others = new Set([...defs.map((d) => d.info.database), ...types.map((t) => t.schema), ...sequences.map((s) => s.schema)]);
  for (const s of [...others].sort(compareCodeUnits))
    if (s !== 'public' && !exported.has(s)) chunks.push(`CREATE SCHEMA IF NOT EXISTS ${quotePgIdentifier(s)};`);

  for (const t of types) chunks.push(renderPgType(t, !ownsSchemaObjects(t.schema)));

  // Sequences before the tables: defaults name them (`nextval('…'::regclass)` resolves at once).
  for (const s of sequences.filter((x) => !x.identity)) {
    const plain = plainSequence(s);
    chunks.push(
      [renderPgCreateSequence(s, !plain), renderPgComment(`SEQUENCE ${qualifiedPgName(s.schema, s.name)}`, s.comment), renderPgSetval(s, !plain)]
        .filter(Boolean)
        .join('\n'),
    );
  }

  const late: { def: PgTableDef; constraint: PgConstraintDef; external: boolean }[] = [];
  for (const def of defs) {
    const lateNames = new Set<string>();
    for (const c of def.constraints) {
      const refKey = c.kind === 'f' ? tableKey({ database: c.refSchema ?? '', name: c.refTable ?? '' }) : '';
      const external = c.kind === 'f' && !listed.has(refKey);
      if (external || !c.validated || deferred.get(tableKey(def.info))?.has(c.name)) {
        lateNames.add(c.name);
        late.push({ def, constraint: c, external });
      }
    }
    const parts = [renderPgCreateTable(def, ifNotExists, lateNames), ...renderPgIndexes(def, ifNotExists)];
    for (const s of def.sequences) {
      const mine = s.owner?.schema === def.info.database && s.owner.table === def.info.name;
      if (!mine) continue;
      if (s.identity) {
        parts.push(renderPgSetval(s, ifNotExists));
        parts.push(renderPgComment(`SEQUENCE ${qualifiedPgName(s.schema, s.name)}`, s.comment));
      } else {
        parts.push(`ALTER SEQUENCE ${qualifiedPgName(s.schema, s.name)} OWNED BY ${qualifiedPgName(def.info.database, def.info.name)}.${quotePgIdentifier(s.owner?.column ?? '')};`);
      }
    }
    chunks.push(parts.filter(Boolean).join('\n'));
  }

  for (const { def, constraint: c, external } of late) {
    const table = qualifiedPgName(def.info.database, def.info.name);
    const add = `ALTER TABLE ONLY ${table} ADD CONSTRAINT ${quotePgIdentifier(c.name)} ${c.definition};`;
    const handlers = [
      ...(external
        ? [`WHEN undefined_table THEN RAISE WARNING 'hfit: foreign key % not added: %', ${quotePgLiteral(`${c.name} on ${def.info.database}.${def.info.name}`)}, SQLERRM;`]
        : []),
      ...(ifNotExists ? [SKIP_IF_EXISTS] : []),
    ];
    const statement = handlers.length ? guardedBlock([add], handlers) : add;
    const comment = renderPgComment(`CONSTRAINT ${quotePgIdentifier(c.name)} ON ${table}`, c.comment);
    chunks.push(comment ? `${statement}\n${comment}` : statement);
  }

  return `${chunks.join('\n\n')}\n`;
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

/** Types deduplicated, each after the enum/domain its base builds on, else by schema and name. */
function orderTypes(all: readonly PgTypeDef[]): PgTypeDef[] {
  const byOid = new Map(uniqueBy(all, (t) => t.oid).map((t) => [t.oid, t]));
  const sorted = [...byOid.values()].sort((a, b) => compareCodeUnits(a.schema, b.schema) || compareCodeUnits(a.name, b.name));
  const out: PgTypeDef[] = [];
  const done = new Set<string>();
  const visit = (t: PgTypeDef) => {
    if (done.has(t.oid)) return;
    done.add(t.oid);
    const base = t.baseOid === null ? undefined : byOid.get(t.baseOid);
    if (base) visit(base);
    out.push(t);
  };
  sorted.forEach(visit);
  return out;
}
