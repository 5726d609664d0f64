import { HfitError } from '@hfit/contracts';
import type { PgSequenceDef } from './pg-table-model.js';
import { qualifiedPgName } from './quote-pg-identifier.js';
import { quotePgLiteral } from './quote-pg-literal.js';

/** A catalog number about to be written into a script: must be an integer, nothing else. */
function integer(value: string, what: string): string {
  if (!/^-?\d+$/.test(value)) throw new HfitError('EXTRACTION_FAILED', `${what} "${value}" read from the catalog is not an integer`);
  return value;
}

/** Sequence options, every one explicit so the result does not depend on the target's defaults. */
function options(seq: PgSequenceDef, separator: string): string {
  const name = `sequence ${seq.schema}.${seq.name}`;
  return [
    `START WITH ${integer(seq.start, `${name} start`)}`,
    `INCREMENT BY ${integer(seq.increment, `${name} increment`)}`,
    `MINVALUE ${integer(seq.min, `${name} minvalue`)}`,
    `MAXVALUE ${integer(seq.max, `${name} maxvalue`)}`,
    `CACHE ${integer(seq.cache, `${name} cache`)}`,
    ...(seq.cycle ? ['CYCLE'] : []),
  ].join(separator);
}

/** `CREATE SEQUENCE [IF NOT EXISTS] "s"."n" AS … START WITH … ;` */
export function renderPgCreateSequence(seq: PgSequenceDef, ifNotExists: boolean): string {
  const name = qualifiedPgName(seq.schema, seq.name);
  return `CREATE SEQUENCE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${name}\n    AS ${seq.dataType}\n    ${options(seq, '\n    ')};`;
}

/** The parenthesised options of an identity column, naming its sequence. */
export function renderPgIdentityOptions(seq: PgSequenceDef): string {
  return `(SEQUENCE NAME ${qualifiedPgName(seq.schema, seq.name)} ${options(seq, ' ')})`;
}

/**
 * Restores the sequence position read from the source (its state is data of the export): '' if
 * the sequence was never used or could not be read. `forwardOnly`: for sequences that may already
 * exist in the target and be in use, only move them forward (in the direction of the increment),
 * never back to a value that could hand out duplicate keys.
 */
export function renderPgSetval(seq: PgSequenceDef, forwardOnly: boolean): string {
  if (seq.lastValue === null) return '';
  const value = integer(seq.lastValue, `sequence ${seq.schema}.${seq.name} last value`);
  const call = `SELECT pg_catalog.setval(${quotePgLiteral(qualifiedPgName(seq.schema, seq.name))}, ${value}, true)`;
  if (!forwardOnly) return `${call};`;
  const [lt, le] = seq.increment.startsWith('-') ? ['>', '>='] : ['<', '<='];
  return `${call}\n    FROM ${qualifiedPgName(seq.schema, seq.name)}\n    WHERE (is_called AND last_value ${lt} ${value}) OR (NOT is_called AND last_value ${le} ${value});`;
}
