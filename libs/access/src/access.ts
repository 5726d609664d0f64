import { HfitError, type AccessPolicy, type Action } from '@hfit/contracts';
import { globMatch, segmentMatch, segmentsMatch, segmentsPrefixMatch } from './glob-match.js';

/** Levels of a table name in a grant: `<source>/<database>/<table>`. */
const TABLE_LEVELS = 3;

/** `<volume>:<path>` split at the first `:` (a pattern without one names the volume only: all its paths). */
function volumePattern(pattern: string): { volume: string; path: string } {
  const at = pattern.indexOf(':');
  return at < 0 ? { volume: pattern, path: '**' } : { volume: pattern.slice(0, at), path: pattern.slice(at + 1) };
}

/**
 * A path relative to a volume root as grants see it: `/`-separated, without `./`, empty or
 * repeated segments, nor a trailing `/`; `''` for the root. Undefined for a path no grant may ever
 * cover: absolute, holding `..`, a backslash or NUL (the volume layer refuses those too, but a
 * decision must never depend on that).
 */
export function grantPath(path: string): string | undefined {
  if (path.includes('\0') || path.includes('\\') || path.startsWith('/')) return undefined;
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  return segments.join('/');
}

/**
 * Decisions over one user's {@link AccessPolicy}. Pure: no I/O. `require*` throw `FORBIDDEN`
 * naming what is missing and who grants it; callers answer 404 instead where an object of another
 * user must not even be acknowledged.
 */
export class Access {
  constructor(readonly policy: AccessPolicy) {}

  get user(): string {
    return this.policy.user;
  }

  can(action: Action): boolean {
    return this.policy.grant.actions.includes(action);
  }

  /** Whether `source/database/table` matches one of the `tables` patterns. */
  canTable(source: string, database: string, table: string): boolean {
    return this.policy.grant.tables.some((p) => segmentsMatch(p.split('/'), [source, database, table]));
  }

  /**
   * Whether some table of `source` (and `database`, when given) could be granted: the source (or
   * database) may be listed. A pattern that cannot name a table inside it (`shop/orders`, two
   * levels only) does not count.
   */
  canSeeSource(source: string, database?: string): boolean {
    const names = database === undefined ? [source] : [source, database];
    const missing = TABLE_LEVELS - names.length;
    return this.policy.grant.tables.some((p) => segmentsPrefixMatch(p.split('/'), names, { min: missing, max: missing }));
  }

  /** Whether `path` (relative to the volume root) of `volume` matches one of the `volumes` patterns. */
  canVolumePath(volume: string, path: string): boolean {
    const rel = grantPath(path);
    if (rel === undefined || rel === '') return false;
    return this.policy.grant.volumes.some((p) => {
      const v = volumePattern(p);
      return segmentMatch(v.volume, volume) && globMatch(v.path, rel);
    });
  }

  /** Whether some path of `volume` could be granted: the volume may be listed. */
  canSeeVolume(volume: string): boolean {
    return this.policy.grant.volumes.some((p) => segmentMatch(volumePattern(p).volume, volume));
  }

  /**
   * Whether folder `path` of `volume` may be listed: it is granted itself, or something below it
   * could be. `''` (or `.`) is the root: {@link canSeeVolume}.
   */
  canSeeVolumeFolder(volume: string, path: string): boolean {
    const rel = grantPath(path);
    if (rel === undefined) return false;
    if (rel === '') return this.canSeeVolume(volume);
    const names = rel.split('/');
    return this.policy.grant.volumes.some((p) => {
      const v = volumePattern(p);
      return segmentMatch(v.volume, volume) && (globMatch(v.path, rel) || segmentsPrefixMatch(v.path.split('/'), names, { min: 1, max: Infinity }));
    });
  }

  canPackage(name: string): boolean {
    return this.policy.grant.packages.some((p) => globMatch(p, name));
  }

  /** Own builds always; others' when their owner matches a `builds` pattern. */
  canSeeBuildsOf(owner: string): boolean {
    return owner === this.user || this.policy.grant.builds.some((p) => globMatch(p, owner));
  }

  /** Own templates always; others' when their owner matches a `templates` pattern. */
  canSeeTemplatesOf(owner: string): boolean {
    return owner === this.user || this.policy.grant.templates.some((p) => globMatch(p, owner));
  }

  /** Own builds with the `build` action; anyone's with `admin`. (Whether the build is visible is asked first.) */
  canCancelBuildOf(owner: string): boolean {
    return this.can('admin') || (owner === this.user && this.can('build'));
  }

  requireAction(action: Action): void {
    if (!this.can(action)) throw forbidden(`user "${this.user}" may not ${ACTION_TEXT[action]}: ask an admin for the "${action}" action (a role or a grant)`);
  }

  requireTable(source: string, database: string, table: string): void {
    if (!this.canTable(source, database, table)) {
      throw forbidden(`user "${this.user}" has no grant on table ${source}/${database}/${table}: ask an admin for a "tables" pattern that covers it`);
    }
  }

  /** Throws unless {@link canSeeSource}. */
  requireSeeSource(source: string, database?: string): void {
    if (this.canSeeSource(source, database)) return;
    const what = database === undefined ? `source ${source}` : `database ${source}/${database}`;
    throw forbidden(`user "${this.user}" has no grant on any table of ${what}: ask an admin for a "tables" pattern that covers it`);
  }

  requireVolumePath(volume: string, path: string): void {
    if (!this.canVolumePath(volume, path)) {
      throw forbidden(`user "${this.user}" has no grant on ${volume}:${grantPath(path) ?? path}: ask an admin for a "volumes" pattern that covers it`);
    }
  }

  /** Throws unless {@link canSeeVolume}. */
  requireSeeVolume(volume: string): void {
    if (!this.canSeeVolume(volume)) throw forbidden(`user "${this.user}" has no grant on volume ${volume}: ask an admin for a "volumes" pattern that covers it`);
  }

  /** Throws unless {@link canSeeVolumeFolder}. */
  requireSeeVolumeFolder(volume: string, path: string): void {
    if (!this.canSeeVolumeFolder(volume, path)) {
      const rel = grantPath(path);
      const what = rel === '' ? `volume ${volume}` : `${volume}:${rel ?? path}`;
      throw forbidden(`user "${this.user}" has no grant on ${what} nor anything below it: ask an admin for a "volumes" pattern that covers it`);
    }
  }

  requirePackage(name: string): void {
    if (!this.canPackage(name)) throw forbidden(`user "${this.user}" may not build package "${name}": ask an admin for a "packages" pattern that covers it`);
  }
}

const ACTION_TEXT: Readonly<Record<Action, string>> = {
  browse: 'browse sources and volumes',
  rows: 'read table rows through the API',
  files: 'download volume files',
  build: 'build packages',
  download: 'download packages',
  admin: 'administer users, keys, tokens and the audit trail',
};

function forbidden(message: string): HfitError {
  return new HfitError('FORBIDDEN', message, { permanent: true });
}
