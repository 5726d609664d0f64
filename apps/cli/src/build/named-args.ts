import { usageError } from '../errors/cli-error.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `--arg name=value` flags as a record: each sets the `from: input` variable of that name (the
 * value may contain `=`). A name given twice is a usage error.
 */
export function parseNamedArgs(flags: readonly string[] | undefined): Record<string, string> {
  const named: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const i = flag.indexOf('=');
    const name = i < 0 ? flag : flag.slice(0, i);
    if (i < 0 || !NAME.test(name)) throw usageError(`--arg "${flag}" is not name=value`, 'e.g. --arg orderId=42 (name of a `from: input` variable)');
    if (name in named) throw usageError(`--arg ${name} is given twice`);
    named[name] = flag.slice(i + 1);
  }
  return named;
}
