import { guardedBlock, SKIP_IF_EXISTS } from './guarded-block.js';
import type { PgTypeDef } from './pg-table-model.js';
import { qualifiedPgName, quotePgIdentifier } from './quote-pg-identifier.js';
import { quotePgLiteral } from './quote-pg-literal.js';
import { renderPgComment } from './render-pg-comment.js';

/**
 * `CREATE TYPE … AS ENUM` or `CREATE DOMAIN` (with default, NOT NULL and CHECK constraints;
 * `NOT VALID` ones added after, as `CREATE DOMAIN` cannot declare them) and its comment.
 * `guarded`: created only if no type of that name exists (a DO block), for types the script may
 * share with objects already in the target database.
 */
export function renderPgType(type: PgTypeDef, guarded: boolean): string {
  const name = qualifiedPgName(type.schema, type.name);
  const statements: string[] = [];
  if (type.kind === 'e') {
    const labels = type.labels.map((l) => `    ${quotePgLiteral(l)}`).join(',\n');
    statements.push(`CREATE TYPE ${name} AS ENUM (${labels ? `\n${labels}\n` : ''});`);
  } else {
    let create = `CREATE DOMAIN ${name} AS ${type.baseType}`;
    if (type.collation) create += ` COLLATE ${type.collation}`;
    if (type.default !== null) create += ` DEFAULT ${type.default}`;
    if (type.notNull) create += ' NOT NULL';
    for (const c of type.constraints.filter((x) => x.validated)) create += `\n    CONSTRAINT ${quotePgIdentifier(c.name)} ${c.definition}`;
    statements.push(`${create};`);
    for (const c of type.constraints.filter((x) => !x.validated))
      statements.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quotePgIdentifier(c.name)} ${c.definition};`);
  }
  const create = guarded ? guardedBlock(statements, [SKIP_IF_EXISTS]) : statements.join('\n');
  const comment = renderPgComment(`${type.kind === 'e' ? 'TYPE' : 'DOMAIN'} ${name}`, type.comment);
  return comment ? `${create}\n${comment}` : create;
}
