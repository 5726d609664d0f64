import type { Access } from '@hfit/access';

/** Which entries of a volume a walk may list (paths relative to the volume root). */
export interface WalkAccess {
  /** Whether a file may be listed (for a symlink: asked for the link and for its target). */
  file(path: string): boolean;
  /** Whether a folder may be listed and walked into (for a symlink: the link and its target). */
  folder(path: string): boolean;
}

/** The {@link WalkAccess} of a user's grants on one volume. */
export function walkAccessOf(access: Access, volume: string): WalkAccess {
  return {
    file: (path) => access.canVolumePath(volume, path),
    folder: (path) => access.canSeeVolumeFolder(volume, path),
  };
}
