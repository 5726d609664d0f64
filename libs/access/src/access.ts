import { HfitError, type AccessPolicy, type Action } from '@hfit/contracts';
import { globMatch, segmentsMatch, segmentsPrefixMatch } from './glob-match.js';

/** `<volume>:<path>` split at the first `:` (a pattern without one names the volume only: all its paths). */
function volumePattern(pattern: string): { volume: string; path: string } {
  const at = pattern.indexOf(':');
  return at < 0 ? { volume: pattern, path: '**' } : { volume: pattern.slice(0, at), path: pattern.slice(at + 1) };
}

/** A path relative to a volume root, as grants see it: no leading `/` or `./`, `/` separators. */
function relative(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.?\/)+/, '');
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

  /** Whether some table of `source` (and `database`, when given) could be granted: it may be listed. */
  canSeeSource(source: string, database?: string): boolean {
    const names = database === undefined ? [source] : [source, database];
    return this.policy.grant.tables.some((p) => segmentsPrefixMatch(p.split('/'), names));
  }

  /** Whether `path` (relative to the volume root) of `volume` matches one of the `volumes` patterns. */
  canVolumePath(volume: string, path: string): boolean {
    const rel = relative(path);
    return this.policy.grant.volumes.some((p) => {
      const v = volumePattern(p);
      return globMatch(v.volume, volume) && globMatch(v.path, rel);
    });
  }

  /** Whether some path of `volume` could be granted: the volume may be listed. */
  canSeeVolume(volume: string): boolean {
    return this.policy.grant.volumes.some((p) => globMatch(volumePattern(p).volume, volume));
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

  requireAction(action: Action): void {
    if (!this.can(action)) throw forbidden(`user "${this.user}" may not ${ACTION_TEXT[action]}: ask an admin for the "${action}" action (a role or a grant)`);
  }

  requireTable(source: string, database: string, table: string): void {
    if (!this.canTable(source, database, table)) {
      throw forbidden(`user "${this.user}" has no grant on table ${source}/${database}/${table}: ask an admin for a "tables" pattern that covers it`);
    }
  }

  requireVolumePath(volume: string, path: string): void {
    if (!this.canVolumePath(volume, path)) {
      throw forbidden(`user "${this.user}" has no grant on ${volume}:${relative(path)}: ask an admin for a "volumes" pattern that covers it`);
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
