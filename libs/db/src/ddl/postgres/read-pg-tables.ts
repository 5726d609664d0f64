import { sql, type Kysely } from 'kysely';
import { HfitError } from '@hfit/contracts';
import type { TableInfo } from '../../introspection/table-info.js';
import { qualifiedPgName } from './quote-pg-identifier.js';
import type { PgColumnDef, PgConstraintDef, PgIndexDef, PgSequenceDef, PgTableDef, PgTypeDef } from './pg-table-model.js';

/** Row values arrive as PostgreSQL's text (the connection parses no types). */
type Row = Record<string, string | null>;

const bool = (v: string | null | undefined) => v === 't' || v === 'true';
const json = <T>(v: string | null | undefined, empty: T): T => (v === null || v === undefined ? empty : (JSON.parse(v) as T));
const text = (v: string | null | undefined) => v ?? '';

/**
 * Reads the definitions of catalog-checked tables from pg_catalog, in one query per kind of object
 * for all tables (a round trip per table and kind made 200 tables take seconds). Names are bound
 * values; the caller must have set an empty search_path (see `withEmptySearchPath`) so deparsed
 * texts are schema-qualified. The result follows the order of `infos`.
 * @throws HfitError `FORMAT_UNSUPPORTED` for partitioned tables (not exported yet).
 */
export async function readPgTables(db: Kysely<any>, infos: readonly TableInfo[]): Promise<PgTableDef[]> {
  if (!infos.length) return [];
  const t = await sql<Row>`SELECT n.nspname AS schema, c.relname AS name, c.oid::text AS oid, c.relkind AS kind,
      c.relpersistence AS persistence, array_to_json(c.reloptions)::text AS options, obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND (n.nspname, c.relname) IN (
      SELECT * FROM unnest(${infos.map((i) => i.database)}::text[], ${infos.map((i) => i.name)}::text[]))`.execute(db);
  const rows = new Map(t.rows.map((r) => [`${r['schema']}\u0000${r['name']}`, r]));
  const oids: string[] = [];
  for (const info of infos) {
    const row = rows.get(`${info.database}\u0000${info.name}`);
    if (!row?.['oid']) throw new HfitError('TABLE_UNKNOWN', `table "${info.database}.${info.name}" disappeared while its DDL was read`);
    if (row['kind'] === 'p')
      throw new HfitError(
        'FORMAT_UNSUPPORTED',
        `table "${info.database}.${info.name}" is partitioned; DDL export of partitioned tables is not supported yet: leave it out of the DDL export and create it by hand`,
      );
    oids.push(row['oid']);
  }
  const columns = groupBy(await readColumns(db, oids));
  const constraints = groupBy(await readConstraints(db, oids));
  const indexes = groupBy(await readIndexes(db, oids));
  const sequences = groupBy(await readSequences(db, oids));
  const types = groupBy(await readTypes(db, oids));
  return infos.map((info, i) => {
    const oid = oids[i] ?? '';
    const row = rows.get(`${info.database}\u0000${info.name}`) ?? {};
    return {
      info,
      oid,
      unlogged: row['persistence'] === 'u',
      options: json<string[]>(row['options'], []),
      comment: row['comment'] ?? null,
      columns: columns.get(oid) ?? [],
      constraints: constraints.get(oid) ?? [],
      indexes: indexes.get(oid) ?? [],
      sequences: sequences.get(oid) ?? [],
      types: types.get(oid) ?? [],
    };
  });
}

/** Groups `[relid, item]` pairs by table oid, keeping their order. */
function groupBy<T>(pairs: readonly (readonly [string, T])[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const [relid, item] of pairs) {
    const list = m.get(relid);
    if (list) list.push(item);
    else m.set(relid, [item]);
  }
  return m;
}

async function readColumns(db: Kysely<any>, oids: readonly string[]): Promise<[string, PgColumnDef][]> {
  const r = await sql<Row>`SELECT a.attrelid::text AS relid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS expression,
      a.attidentity AS identity, a.attgenerated AS generated, col_description(a.attrelid, a.attnum) AS comment,
      CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN cn.nspname END AS "collationSchema",
      co.collname AS "collationName"
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    WHERE a.attrelid = ANY(${oids}::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`.execute(db);
  return r.rows.map((c) => [text(c['relid']), {
    name: text(c['name']),
    type: text(c['type']),
    collation: c['collationSchema'] ? qualifiedPgName(c['collationSchema'], text(c['collationName'])) : null,
    notNull: bool(c['notNull']),
    expression: c['expression'] ?? null,
    identity: c['identity'] === 'a' || c['identity'] === 'd' ? c['identity'] : '',
    generated: text(c['generated']),
    comment: c['comment'] ?? null,
  }]);
}

async function readConstraints(db: Kysely<any>, oids: readonly string[]): Promise<[string, PgConstraintDef][]> {
  const r = await sql<Row>`SELECT con.conrelid::text AS relid, con.conname AS name, con.contype AS kind, pg_get_constraintdef(con.oid) AS definition,
      con.convalidated AS validated, rn.nspname AS "refSchema", rc.relname AS "refTable",
      obj_description(con.oid, 'pg_constraint') AS comment
    FROM pg_constraint con
    LEFT JOIN pg_class rc ON rc.oid = con.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE con.conrelid = ANY(${oids}::oid[]) AND con.contype IN ('p', 'u', 'c', 'x', 'f')
    ORDER BY con.conrelid, position(con.contype::text IN 'pucxf'), con.conname`.execute(db);
  return r.rows.map((c) => [text(c['relid']), {
    name: text(c['name']),
    kind: text(c['kind']) as PgConstraintDef['kind'],
    definition: text(c['definition']),
    validated: bool(c['validated']),
    refSchema: c['refSchema'] ?? null,
    refTable: c['refTable'] ?? null,
    comment: c['comment'] ?? null,
  }]);
}

/** Valid indexes that do not back a primary key, unique or exclusion constraint of the table. */
async function readIndexes(db: Kysely<any>, oids: readonly string[]): Promise<[string, PgIndexDef][]> {
  const r = await sql<Row>`SELECT i.indrelid::text AS relid, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
      obj_description(i.indexrelid, 'pg_class') AS comment
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = ANY(${oids}::oid[]) AND i.indisvalid AND NOT EXISTS (
      SELECT 1 FROM pg_constraint con
      WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
    ORDER BY i.indrelid, ic.relname`.execute(db);
  return r.rows.map((i) => [text(i['relid']), { name: text(i['name']), definition: text(i['definition']), comment: i['comment'] ?? null }]);
}

/**
 * Sequences the table's column defaults call (`nextval`) or that its columns own (serial,
 * identity, `OWNED BY`), found through pg_depend. The last value is only read where the session
 * has the privilege: without it `pg_sequence_last_value` fails and would abort the snapshot.
 */
async function readSequences(db: Kysely<any>, oids: readonly string[]): Promise<[string, PgSequenceDef][]> {
  const r = await sql<Row>`WITH used AS (
      SELECT ad.adrelid AS relid, d.refobjid AS seq FROM pg_attrdef ad
      JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
      WHERE ad.adrelid = ANY(${oids}::oid[])
      UNION
      SELECT d.refobjid, d.objid FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid = ANY(${oids}::oid[]) AND d.deptype IN ('a', 'i'))
    SELECT used.relid::text AS relid, s.oid::text AS oid, sn.nspname AS schema, s.relname AS name, format_type(q.seqtypid, NULL) AS "dataType",
      q.seqstart::text AS start, q.seqincrement::text AS increment, q.seqmin::text AS min, q.seqmax::text AS max,
      q.seqcache::text AS cache, q.seqcycle AS cycle,
      CASE WHEN has_sequence_privilege(s.oid, 'SELECT,USAGE') THEN pg_sequence_last_value(s.oid)::text END AS "lastValue",
      own.deptype AS "ownDeptype", own_n.nspname AS "ownerSchema", own_c.relname AS "ownerTable", own_a.attname AS "ownerColumn",
      obj_description(s.oid, 'pg_class') AS comment
    FROM used
    JOIN pg_class s ON s.oid = used.seq AND s.relkind = 'S'
    JOIN pg_namespace sn ON sn.oid = s.relnamespace
    JOIN pg_sequence q ON q.seqrelid = s.oid
    LEFT JOIN pg_depend own ON own.classid = 'pg_class'::regclass AND own.objid = s.oid
      AND own.refclassid = 'pg_class'::regclass AND own.deptype IN ('a', 'i')
    LEFT JOIN pg_class own_c ON own_c.oid = own.refobjid
    LEFT JOIN pg_namespace own_n ON own_n.oid = own_c.relnamespace
    LEFT JOIN pg_attribute own_a ON own_a.attrelid = own.refobjid AND own_a.attnum = own.refobjsubid
    ORDER BY used.relid, sn.nspname, s.relname`.execute(db);
  return r.rows.map((s) => [text(s['relid']), {
    oid: text(s['oid']),
    schema: text(s['schema']),
    name: text(s['name']),
    dataType: text(s['dataType']),
    start: text(s['start']),
    increment: text(s['increment']),
    min: text(s['min']),
    max: text(s['max']),
    cache: text(s['cache']),
    cycle: bool(s['cycle']),
    lastValue: s['lastValue'] ?? null,
    owner:
      s['ownerTable'] && s['ownerColumn']
        ? { schema: text(s['ownerSchema']), table: s['ownerTable'], column: s['ownerColumn'] }
        : null,
    identity: s['ownDeptype'] === 'i',
    comment: s['comment'] ?? null,
  }]);
}

/**
 * Enums and domains the columns need: their own types, array elements and domain bases, followed
 * recursively. Types in pg_catalog/information_schema and types of extensions are left out (the
 * server or `CREATE EXTENSION` provides those).
 */
async function readTypes(db: Kysely<any>, oids: readonly string[]): Promise<[string, PgTypeDef][]> {
  const r = await sql<Row>`WITH RECURSIVE deps(relid, oid) AS (
      SELECT a.attrelid, a.atttypid FROM pg_attribute a
      WHERE a.attrelid = ANY(${oids}::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      UNION
      SELECT deps.relid, CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END
      FROM deps JOIN pg_type t ON t.oid = deps.oid
      WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0))
    SELECT deps.relid::text AS relid, t.oid::text AS oid, n.nspname AS schema, t.typname AS name, t.typtype AS kind,
      (SELECT array_to_json(array_agg(e.enumlabel ORDER BY e.enumsortorder))::text FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
      format_type(t.typbasetype, t.typtypmod) AS "baseType",
      (CASE WHEN bt.typcategory = 'A' AND bt.typelem <> 0 THEN bt.typelem ELSE bt.oid END)::text AS "baseOid",
      t.typnotnull AS "notNull", COALESCE(pg_get_expr(t.typdefaultbin, 0), t.typdefault) AS "default",
      CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN cn.nspname END AS "collationSchema",
      co.collname AS "collationName",
      (SELECT array_to_json(array_agg(json_build_object('name', c.conname, 'definition', pg_get_constraintdef(c.oid),
          'validated', c.convalidated) ORDER BY c.conname))::text
        FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS constraints,
      obj_description(t.oid, 'pg_type') AS comment
    FROM deps
    JOIN pg_type t ON t.oid = deps.oid
    JOIN pg_namespace n ON n.oid = t.typnamespace
    LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
    LEFT JOIN pg_collation co ON co.oid = t.typcollation
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    WHERE t.typtype IN ('e', 'd') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
    ORDER BY deps.relid, n.nspname, t.typname`.execute(db);
  return r.rows.map((t) => [text(t['relid']), {
    oid: text(t['oid']),
    schema: text(t['schema']),
    name: text(t['name']),
    kind: t['kind'] === 'e' ? 'e' : 'd',
    labels: json<string[]>(t['labels'], []),
    baseType: text(t['baseType']),
    baseOid: t['kind'] === 'd' ? (t['baseOid'] ?? null) : null,
    notNull: bool(t['notNull']),
    default: t['default'] ?? null,
    collation: t['collationSchema'] ? qualifiedPgName(t['collationSchema'], text(t['collationName'])) : null,
    constraints: json<{ name: string; definition: string; validated: boolean }[]>(t['constraints'], []),
    comment: t['comment'] ?? null,
  }]);
}
