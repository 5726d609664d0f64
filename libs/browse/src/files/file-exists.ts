import type { LoadedServerConfig } from '@hfit/config';
import { isHfitError } from '@hfit/contracts';
import { openVolumeDownload, type VolumeDownloadOptions } from './open-volume-download.js';
import { volumeExists } from './volume-exists.js';

/**
 * `HEAD` of a volume file: true when {@link openVolumeDownload} would serve it (a regular file
 * inside the volume, readable). False for an unknown volume or a missing file, folder or unreadable
 * file; bad paths (`..`, NUL, absolute) and files that resolve outside the root still throw
 * `PATH_ESCAPE`, as the download would.
 */
export async function fileExists(config: Pick<LoadedServerConfig, 'volumes'>, volume: string, path: string, options: VolumeDownloadOptions = {}): Promise<boolean> {
  options.access?.requireAction('files');
  options.access?.requireSeeVolume(volume);
  if (!volumeExists(config, volume)) return false;
  try {
    await (await openVolumeDownload(config, volume, path, options)).close();
    return true;
  } catch (err) {
    if (isHfitError(err, 'FILE_NOT_FOUND')) return false;
    throw err;
  }
}
