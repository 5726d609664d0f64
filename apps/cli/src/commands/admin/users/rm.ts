import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';

/** `hfit admin users rm <name>`. */
export default class AdminUsersRm extends BaseCommand {
  static override summary = 'Remove a user and their keys (their login tokens stop working)';
  static override examples = ['<%= config.bin %> admin users rm bob'];
  static override args = {
    name: Args.string({ required: true, description: 'user name' }),
  };

  async run(): Promise<{ deleted: string }> {
    const { args } = await this.parse(AdminUsersRm);
    await (await this.client()).admin.deleteUser(args.name);
    this.output.line(`removed user ${args.name}`);
    return { deleted: args.name };
  }
}
