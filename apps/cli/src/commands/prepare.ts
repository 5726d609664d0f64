import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { prepareDataDir, type PreparedDataDir } from '../workspace/prepare-data-dir.js';

/** `hfit prepare`. */
export default class Prepare extends BaseCommand {
  static override summary = 'Create hfit-data/ with a .gitignore that keeps templates and ignores packages';
  static override description = 'The .gitignore holds `*`, `!.gitignore` and `!*.yaml`; an existing one keeps its lines and gets the missing ones.';
  static override examples = ['<%= config.bin %> prepare', '<%= config.bin %> prepare --dir test/hfit-data'];
  static override flags = {
    dir: Flags.string({ char: 'd', default: 'hfit-data', description: 'folder to prepare' }),
  };

  async run(): Promise<PreparedDataDir> {
    const { flags } = await this.parse(Prepare);
    const prepared = await prepareDataDir(flags.dir);
    this.output.line(`${prepared.created ? 'created' : 'using'} ${prepared.dir}; .gitignore ${prepared.gitignoreStatus}`);
    this.output.line(`next: hfit pkg-example > ${flags.dir}/my_template.yaml`);
    return prepared;
  }
}
