import { HfitError } from '@hfit/contracts';
import type { TargetDialect } from './target-dialect.js';

/** Where an import writes: one database of a MySQL/MariaDB or PostgreSQL server. */
export interface ImportTarget {
  readonly dialect: TargetDialect;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Empty when the URL has none. Never put into messages: use {@link ImportTarget.display}. */
  readonly password: string;
  readonly database: string;
  /** The URL with the password replaced by `***`, for messages and logs. */
  readonly display: string;
}

const SCHEMES: Readonly<Record<string, TargetDialect>> = {
  'mysql:': 'mysql',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
};
const DEFAULT_PORT: Readonly<Record<TargetDialect, number>> = { mysql: 3306, postgres: 5432 };
/** Longest database name each server accepts: 64 characters (MySQL), 63 bytes (PostgreSQL). */
const MAX_NAME: Readonly<Record<TargetDialect, number>> = { mysql: 64, postgres: 63 };
const FORM = 'write mysql://user:password@host:port/database or postgres://user:password@host:port/database';

function invalid(message: string): HfitError {
  return new HfitError('IMPORT_TARGET_INVALID', message, { field: 'target' });
}

function decode(part: string, what: string, shown: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`the ${what} of target ${shown} has an invalid %-escape`);
  }
}

/**
 * Parses an import target URL strictly: `mysql://`, `postgres://` or `postgresql://`, a user, a
 * host, an optional port (default 3306 / 5432), an optional password, and exactly one database
 * path segment; user, password and database may be %-encoded. Query strings, fragments and
 * anything else are refused rather than ignored.
 * @throws HfitError `IMPORT_TARGET_INVALID` naming the problem; the password never appears in it.
 */
export function parseImportTarget(url: string): ImportTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid(`the target is not a URL: ${FORM}`);
  }
  const dialect = SCHEMES[u.protocol];
  const shown = redactedUrl(u);
  if (!dialect) throw invalid(`the target ${shown} has scheme "${u.protocol.replace(/:$/, '')}": ${FORM}`);
  if (u.search || u.hash) throw invalid(`the target ${shown} has a query string or fragment; none are supported: ${FORM}`);
  if (!u.hostname) throw invalid(`the target ${shown} names no host: ${FORM}`);
  if (!u.username) throw invalid(`the target ${shown} names no user: ${FORM}`);
  const segments = u.pathname.replace(/^\//, '');
  if (!segments) throw invalid(`the target ${shown} names no database: ${FORM}`);
  if (segments.includes('/')) throw invalid(`the target ${shown} has more than one path segment; the path is the database name: ${FORM}`);
  const database = decode(segments, 'database', shown);
  const user = decode(u.username, 'user', shown);
  const password = decode(u.password, 'password', shown);
  if (database.includes('\u0000') || user.includes('\u0000')) throw invalid(`the target ${shown} contains a NUL character`);
  const length = dialect === 'postgres' ? Buffer.byteLength(database, 'utf8') : [...database].length;
  if (length > MAX_NAME[dialect])
    throw invalid(`the database name of target ${shown} is longer than ${MAX_NAME[dialect]} ${dialect === 'postgres' ? 'bytes' : 'characters'}`);
  if (dialect === 'mysql' && (/[/\\.]/.test(database) || database.endsWith(' ')))
    throw invalid(`the database name of target ${shown} contains "/", "\\\\" or "." or ends with a space, which MySQL/MariaDB does not allow`);
  let port = DEFAULT_PORT[dialect];
  if (u.port) {
    port = Number(u.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`the port of target ${shown} is not between 1 and 65535`);
  }
  // IPv6 literals come bracketed from the URL parser; drivers want the bare address.
  const host = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
  return { dialect, host, port, user, password, database, display: shown };
}

/** The URL as text with its password (if any) replaced by `***`. */
function redactedUrl(u: URL): string {
  const copy = new URL(u.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
