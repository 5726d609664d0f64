import { usageError } from '../errors/cli-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+[smhdw])+$/;
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Milliseconds of a duration such as `30d`, `12h`, `1d12h`, `45m`, `90s`, `2w`; undefined when it is none. */
export function durationMs(text: string): number | undefined {
  const v = text.trim().toLowerCase();
  if (!DURATION.test(v)) return undefined;
  let ms = 0;
  for (const [, n, unit] of v.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return ms;
}

/**
 * A point in time given as an ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T10:00:00Z`; no
 * offset: local time) or as a duration from `now` (`30d`, `12h`, `1d12h`; `m` is minutes), into
 * the past (`--since 2h`) or the future (`--expires 30d`). The answer is ISO 8601 in UTC; anything
 * else is a usage error naming `flag`.
 */
export function parseTimeSpec(value: string, options: { readonly flag: string; readonly direction: 'past' | 'future'; readonly now: Date }): string {
  const ms = durationMs(value);
  if (ms !== undefined) return new Date(options.now.getTime() + (options.direction === 'past' ? -ms : ms)).toISOString();
  const v = value.trim();
  const at = ISO.test(v) ? Date.parse(v.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(at)) {
    throw usageError(`${options.flag} "${value}" is neither an ISO date (2024-05-01, 2024-05-01T10:00:00Z) nor a duration (30d, 12h, 45m)`);
  }
  return new Date(at).toISOString();
}
