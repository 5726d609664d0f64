import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { buildResultOf, type BuildResult } from '../../build/build-result.js';

/** `hfit pkg cancel <id>`. */
export default class PkgCancel extends BaseCommand {
  static override summary = 'Cancel a queued or running build';
  static override description = 'A queued build is removed at once; a running one stops within about a second and publishes nothing.';
  static override examples = ['<%= config.bin %> pkg cancel 0m3x9k2ab5f0c1d2e3f4a5b6c7'];
  static override args = {
    id: Args.string({ required: true, description: 'build id' }),
  };

  async run(): Promise<BuildResult> {
    const { args } = await this.parse(PkgCancel);
    const view = await (await this.client()).builds.cancel(args.id);
    this.output.line(view.state === 'cancelled' ? `build ${view.id} cancelled` : `build ${view.id}: cancel requested (${view.state})`);
    return buildResultOf(view);
  }
}
