import type { UserView } from '@hfit/contracts';
import { BaseCommand } from '../../../base-command.js';
import { textTable } from '../../../render/text-table.js';

/** `hfit admin users list`. */
export default class AdminUsersList extends BaseCommand {
  static override summary = 'List users: the admins of the server config and those added with `admin users add`';
  static override examples = ['<%= config.bin %> admin users list', '<%= config.bin %> admin users list --json'];

  async run(): Promise<{ users: UserView[] }> {
    await this.parse(AdminUsersList);
    const users = await (await this.client()).admin.listUsers();
    this.output.lines(
      textTable(
        ['NAME', 'ROLES', 'GRANTS', 'KEYS', 'ORIGIN', 'CREATED'],
        users.map((u) => [u.name, u.roles.join(','), String(u.grants.length), String(u.keys.length), u.origin, u.createdAt ?? '']),
        { right: [2, 3] },
      ),
    );
    return { users };
  }
}
