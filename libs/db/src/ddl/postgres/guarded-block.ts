import { dollarQuote } from './dollar-quote.js';

/**
 * Wraps statements in a `DO` block whose exception handlers make them conditional, for objects
 * PostgreSQL has no `IF NOT EXISTS` for (`CREATE TYPE`, `CREATE DOMAIN`, `ADD CONSTRAINT`).
 * `handlers` are PL/pgSQL handler lines such as `WHEN duplicate_object THEN NULL;`. If any
 * statement fails with a handled condition, the block's earlier statements are rolled back too,
 * so an existing object is left exactly as it was.
 */
export function guardedBlock(statements: readonly string[], handlers: readonly string[]): string {
  const body = ['BEGIN', ...statements, 'EXCEPTION', ...handlers.map((h) => `    ${h}`), 'END'].join('\n');
  return `DO ${dollarQuote(body)};`;
}

/** Handler that skips a statement when its object already exists. */
export const SKIP_IF_EXISTS = 'WHEN duplicate_object THEN NULL;';
