import { HfitError } from '@hfit/contracts';
import type { PgColumnDef, PgSequenceDef, PgTableDef } from './pg-table-model.js';
import { qualifiedPgName, quotePgIdentifier } from './quote-pg-identifier.js';
import { quotePgLiteral } from './quote-pg-literal.js';
import { renderPgComment } from './render-pg-comment.js';
import { renderPgIdentityOptions } from './render-pg-sequence.js';

/**
 * `CREATE TABLE` with columns and the constraints that can be declared inline, followed by the
 * comments on the table, its columns and those constraints. Constraints named in `late` (foreign
 * keys to tables created later or outside the export, `NOT VALID` ones) are left out: the caller
 * adds them with `ALTER TABLE` once every table exists.
 */
export function renderPgCreateTable(def: PgTableDef, ifNotExists: boolean, late: ReadonlySet<string>): string {
  const table = qualifiedPgName(def.info.database, def.info.name);
  const identity = new Map(def.sequences.filter((s) => s.identity && s.owner).map((s) => [s.owner?.column ?? '', s]));
  const lines = [
    ...def.columns.map((c) => renderColumn(c, identity.get(c.name))),
    ...def.constraints.filter((c) => !late.has(c.name)).map((c) => `CONSTRAINT ${quotePgIdentifier(c.name)} ${c.definition}`),
  ];
  const withOptions = def.options.length ? ` WITH (${def.options.map(renderStorageOption).join(', ')})` : '';
  const create =
    `CREATE ${def.unlogged ? 'UNLOGGED ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${table} (` +
    `${lines.length ? `\n    ${lines.join(',\n    ')}\n` : ''})${withOptions};`;
  const comments = [
    renderPgComment(`TABLE ${table}`, def.comment),
    ...def.columns.map((c) => renderPgComment(`COLUMN ${table}.${quotePgIdentifier(c.name)}`, c.comment)),
    ...def.constraints.filter((c) => !late.has(c.name)).map((c) => renderPgComment(`CONSTRAINT ${quotePgIdentifier(c.name)} ON ${table}`, c.comment)),
  ].filter(Boolean);
  return [create, ...comments].join('\n');
}

/** The table's own indexes (`pg_get_indexdef`) with their comments, one string per index. */
export function renderPgIndexes(def: PgTableDef, ifNotExists: boolean): string[] {
  return def.indexes.map((i) => {
    const create = ifNotExists ? i.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ') : i.definition;
    const comment = renderPgComment(`INDEX ${qualifiedPgName(def.info.database, i.name)}`, i.comment);
    return comment ? `${create};\n${comment}` : `${create};`;
  });
}

function renderColumn(c: PgColumnDef, identitySequence: PgSequenceDef | undefined): string {
  let s = `${quotePgIdentifier(c.name)} ${c.type}`;
  if (c.collation) s += ` COLLATE ${c.collation}`;
  if (c.generated === 's' && c.expression !== null) s += ` GENERATED ALWAYS AS (${c.expression}) STORED`;
  else if (c.identity) {
    s += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    if (identitySequence) s += ` ${renderPgIdentityOptions(identitySequence)}`;
  } else if (c.expression !== null) s += ` DEFAULT ${c.expression}`;
  if (c.notNull) s += ' NOT NULL';
  return s;
}

/** `name=value` from `reloptions`, value quoted as a literal (names are plain or `toast.`-prefixed). */
function renderStorageOption(option: string): string {
  const m = /^([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)=(.*)$/s.exec(option);
  if (!m?.[1] || m[2] === undefined) throw new HfitError('FORMAT_UNSUPPORTED', `storage parameter ${JSON.stringify(option)} has an unexpected form`);
  return `${m[1]}=${quotePgLiteral(m[2])}`;
}
