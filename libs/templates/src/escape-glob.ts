/**
 * Escapes glob metacharacters (`* ? [ ] { } ( ) ! + @ \`) so that a substituted value matches only
 * itself. Values of `${x}`/`$N` pasted into globs are escaped this way, so an input of `*` cannot
 * widen a glob to every file. Uses backslash escapes as picomatch/micromatch understand them.
 */
export function escapeGlob(value: string): string {
  return value.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`);
}
