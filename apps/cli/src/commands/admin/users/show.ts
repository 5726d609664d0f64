import type { UserView } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { userViewLines } from '../../../render/user-view-lines.js';

/** `hfit admin users show <name>`. */
export default class AdminUsersShow extends BaseCommand {
  static override summary = "Show a user's roles, grants (as YAML, the grants-file form) and keys";
  static override examples = ['<%= config.bin %> admin users show bob', '<%= config.bin %> admin users show bob --json'];
  static override args = {
    name: Args.string({ required: true, description: 'user name' }),
  };

  async run(): Promise<UserView> {
    const { args } = await this.parse(AdminUsersShow);
    const user = await (await this.client()).admin.getUser(args.name);
    this.output.lines(userViewLines(user));
    return user;
  }
}
