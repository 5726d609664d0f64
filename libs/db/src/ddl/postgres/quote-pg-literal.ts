import { HfitError } from '@hfit/contracts';

/**
 * Renders text as a PostgreSQL standard string literal: single quotes doubled, backslashes left
 * alone. Only valid where `standard_conforming_strings` is on, which every hfit PostgreSQL script
 * sets first.
 * @throws HfitError `FORMAT_UNSUPPORTED` for a NUL character: PostgreSQL text cannot hold one.
 */
export function quotePgLiteral(value: string): string {
  if (value.includes('\u0000'))
    throw new HfitError('FORMAT_UNSUPPORTED', `text ${JSON.stringify(value.slice(0, 40))} contains a NUL character, which a PostgreSQL string literal cannot hold`);
  return `'${value.replaceAll("'", "''")}'`;
}
