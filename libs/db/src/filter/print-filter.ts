import type { SourceType } from '../connection/source-connection.js';
import type { FilterNode } from './filter-node.js';

/**
 * The normalised text of a filter, for audit logs and manifests: identifiers quoted for the
 * dialect, constants inline, keywords upper case, and parentheses wherever grouping is not
 * obvious. Compiling this text again yields the same {@link FilterNode} tree. Never executed:
 * the query runs the bound-parameter form built by {@link buildFilterExpression}.
 */
export function printFilter(node: FilterNode, dialect: SourceType): string {
  return print(node, dialect);
}

const isAtom = (n: FilterNode) => n.kind === 'column' || n.kind === 'literal' || n.kind === 'function';

function print(n: FilterNode, d: SourceType): string {
  const p = (x: FilterNode) => print(x, d);
  /** A sub-expression that is not a single term goes in parentheses. */
  const term = (x: FilterNode) => (isAtom(x) ? p(x) : `(${p(x)})`);
  switch (n.kind) {
    case 'column':
      return d === 'mysql' ? `\`${n.name.replaceAll('`', '``')}\`` : `"${n.name.replaceAll('"', '""')}"`;
    case 'literal':
      switch (n.type) {
        case 'null':
          return 'NULL';
        case 'boolean':
          return n.value ? 'TRUE' : 'FALSE';
        case 'number':
          return n.value;
        case 'string':
          return quoteString(n.value, d);
        case 'date':
          return `DATE ${quoteString(n.value, d)}`;
        case 'timestamp':
          return `TIMESTAMP ${quoteString(n.value, d)}`;
      }
      break;
    case 'comparison':
      return `${term(n.left)} ${n.operator} ${term(n.right)}`;
    case 'and':
    case 'or':
      return n.operands.map((x) => (x.kind === 'and' || x.kind === 'or' ? `(${p(x)})` : p(x))).join(n.kind === 'and' ? ' AND ' : ' OR ');
    case 'not':
      return `NOT ${term(n.operand)}`;
    case 'in':
      return `${term(n.operand)} ${n.negated ? 'NOT IN' : 'IN'} (${n.values.map(p).join(', ')})`;
    case 'between':
      return `${term(n.operand)} ${n.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${term(n.low)} AND ${term(n.high)}`;
    case 'like': {
      const op = `${n.negated ? 'NOT ' : ''}${n.caseInsensitive ? 'ILIKE' : 'LIKE'}`;
      const escape = n.escape === undefined ? '' : ` ESCAPE ${quoteString(n.escape, d)}`;
      return `${term(n.operand)} ${op} ${term(n.pattern)}${escape}`;
    }
    case 'is':
      return `${term(n.operand)} IS ${n.negated ? 'NOT ' : ''}${n.value === null ? 'NULL' : n.value ? 'TRUE' : 'FALSE'}`;
    case 'arithmetic':
      return `${term(n.left)} ${n.operator} ${term(n.right)}`;
    case 'negate':
      return `-${term(n.operand)}`;
    case 'function':
      return `${n.name}(${n.args.map(p).join(', ')})`;
  }
  throw new Error(`unreachable filter node ${JSON.stringify(n)}`);
}

/** A string literal the same dialect reads back to the same value (MySQL: backslash is an escape). */
function quoteString(v: string, d: SourceType): string {
  const body = d === 'mysql' ? v.replaceAll('\\', '\\\\').replaceAll('\0', '\\0').replaceAll("'", "''") : v.replaceAll("'", "''");
  return `'${body}'`;
}
