import { HfitError } from '@hfit/contracts';

/**
 * How a DDL script treats objects that may already exist where it is loaded:
 * - `dropcreate`: drop each exported table first (`DROP TABLE IF EXISTS`, `CASCADE` on PostgreSQL),
 *   then create it;
 * - `ifnotexists`: create only what is missing (`IF NOT EXISTS`, guarded blocks on PostgreSQL), so
 *   the script can be loaded again;
 * - no option: plain `CREATE`, failing if an exported table exists.
 */
export type DdlOption = 'dropcreate' | 'ifnotexists';

/** The accepted {@link DdlOption} values, for validation and error messages. */
export const DDL_OPTIONS: readonly DdlOption[] = ['dropcreate', 'ifnotexists'];

/** Options of {@link readTableDdl} and {@link readDatabaseDdl}. */
export interface DdlOptions {
  /** See {@link DdlOption}; leave out for plain `CREATE`. */
  readonly option?: DdlOption | undefined;
}

/**
 * Checks options that may come straight from a template (untyped YAML) and returns the option.
 * @throws HfitError `TEMPLATE_INVALID` naming the accepted values.
 */
export function validateDdlOptions(opts: DdlOptions | undefined): DdlOption | undefined {
  const option: unknown = opts?.option;
  if (option === undefined || option === null || option === '') return undefined;
  if (typeof option === 'string' && (DDL_OPTIONS as readonly string[]).includes(option)) return option as DdlOption;
  throw new HfitError(
    'TEMPLATE_INVALID',
    `DDL option ${JSON.stringify(option)} is not supported: write "dropcreate", "ifnotexists" or leave the option out`,
    { field: 'option' },
  );
}
