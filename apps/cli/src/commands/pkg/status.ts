import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { buildResultOf, type BuildResult } from '../../build/build-result.js';
import { buildSummary } from '../../render/build-summary.js';

/** `hfit pkg status <id>`. */
export default class PkgStatus extends BaseCommand {
  static override summary = 'Show a build: state, progress per export, error or artifact';
  static override examples = ['<%= config.bin %> pkg status 0m3x9k2ab5f0c1d2e3f4a5b6c7', '<%= config.bin %> pkg status 0m3x9k2ab5f0c1d2e3f4a5b6c7 --json'];
  static override args = {
    id: Args.string({ required: true, description: 'build id' }),
  };

  async run(): Promise<BuildResult> {
    const { args } = await this.parse(PkgStatus);
    const view = await (await this.client()).builds.get(args.id);
    this.output.lines(buildSummary(view, this.output.style));
    return buildResultOf(view);
  }
}
