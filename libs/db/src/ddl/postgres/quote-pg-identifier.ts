import { HfitError } from '@hfit/contracts';

/**
 * Quotes a PostgreSQL identifier for a script: always in double quotes, embedded `"` doubled (the
 * quoting `quote_ident` applies when it must). Always quoting keeps mixed case and reserved words
 * (`"order"`, `"key"`) intact and the output independent of the server's keyword list.
 */
export function quotePgIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new HfitError('FORMAT_UNSUPPORTED', `identifier ${JSON.stringify(name)} contains a NUL character, which PostgreSQL cannot store`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`, both parts quoted with {@link quotePgIdentifier}. */
export function qualifiedPgName(schema: string, name: string): string {
  return `${quotePgIdentifier(schema)}.${quotePgIdentifier(name)}`;
}
