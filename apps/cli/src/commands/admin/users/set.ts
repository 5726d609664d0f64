import type { UpdateUserRequest, UserView } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { readGrantsFile } from '../../../admin/read-grants-file.js';
import { BaseCommand } from '../../../base-command.js';
import { usageError } from '../../../errors/cli-error.js';
import { userViewLines } from '../../../render/user-view-lines.js';

/** `hfit admin users set <name>`. */
export default class AdminUsersSet extends BaseCommand {
  static override summary = "Replace a user's roles and/or grants";
  static override description = `--role replaces the roles (repeat it, or separate with commas; --clear-roles removes them all); --grant-file replaces the grants given to the user directly (an empty file removes them). What is not given stays as it is. Keys: \`hfit admin keys add|rm\`.`;
  static override examples = ['<%= config.bin %> admin users set bob --role developer --role auditor', '<%= config.bin %> admin users set bob --grant-file bob-grants.yaml'];
  static override args = {
    name: Args.string({ required: true, description: 'user name' }),
  };
  static override flags = {
    role: Flags.string({ char: 'r', multiple: true, delimiter: ',', exclusive: ['clear-roles'], description: 'the new roles (repeat, or separate with commas)' }),
    'clear-roles': Flags.boolean({ description: 'remove every role' }),
    'grant-file': Flags.string({ char: 'g', description: 'YAML list of grants replacing those of the user' }),
  };

  async run(): Promise<UserView> {
    const { args, flags } = await this.parse(AdminUsersSet);
    const roles = flags['clear-roles'] ? [] : flags.role;
    if (roles === undefined && flags['grant-file'] === undefined) throw usageError('nothing to change: give --role, --clear-roles or --grant-file');
    const request: UpdateUserRequest = {
      ...(roles === undefined ? {} : { roles }),
      ...(flags['grant-file'] === undefined ? {} : { grants: await readGrantsFile(flags['grant-file']) }),
    };
    const user = await (await this.client()).admin.updateUser(args.name, request);
    this.output.line(`updated user ${user.name}`);
    this.output.lines(userViewLines(user));
    return user;
  }
}
