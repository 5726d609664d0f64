import type { VolumeList } from '@hfit/contracts';
import { BaseCommand } from '../../base-command.js';

/** `hfit browse volumes` (`hfit volumes`). */
export default class BrowseVolumes extends BaseCommand {
  static override summary = 'List the file volumes templates can name';
  static override aliases = ['volumes'];
  static override examples = ['<%= config.bin %> volumes'];

  async run(): Promise<{ volumes: VolumeList }> {
    await this.parse(BrowseVolumes);
    const volumes = await (await this.client()).browse.volumes();
    this.output.lines(volumes.map((v) => v.name));
    return { volumes };
  }
}
