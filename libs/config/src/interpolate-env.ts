/**
 * `${VAR}` interpolation of config string values, docker-compose style:
 * - `${VAR}` — the variable's value (may be empty); unset is an error.
 * - `${VAR:-default}` — the default when the variable is unset or empty.
 * - `$$` — a literal `$`. Any other `$` is literal, so `pa$word` stays as written.
 */

/** Result of interpolating one string. */
export type InterpolationResult =
  | { readonly ok: true; readonly value: string; readonly interpolated: boolean }
  | { readonly ok: false; readonly problem: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Interpolates environment variables into `value` (see the module comment). Never echoes values. */
export function interpolateEnv(value: string, env: Readonly<Record<string, string | undefined>>): InterpolationResult {
  let out = '';
  let interpolated = false;
  let i = 0;
  while (i < value.length) {
    const dollar = value.indexOf('$', i);
    if (dollar < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, dollar);
    const next = value[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = value.indexOf('}', dollar + 2);
    if (close < 0) return { ok: false, problem: 'has an unterminated "${": close it with "}" or write "$$" for a literal "$"' };
    const expr = value.slice(dollar + 2, close);
    const sep = expr.indexOf(':-');
    const name = sep < 0 ? expr : expr.slice(0, sep);
    if (!NAME.test(name)) {
      return {
        ok: false,
        problem: 'has an invalid "${…}": write ${ENV_VAR} or ${ENV_VAR:-default} (letters, digits, "_"), or "$$" for a literal "$"',
      };
    }
    const set = env[name];
    if (sep >= 0) out += set === undefined || set === '' ? expr.slice(sep + 2) : set;
    else if (set === undefined) {
      return {
        ok: false,
        problem: `uses environment variable ${name}, which is not set: set it, or write \${${name}:-default}`,
      };
    } else out += set;
    interpolated = true;
    i = close + 1;
  }
  return { ok: true, value: out, interpolated };
}
