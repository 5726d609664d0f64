import type { UserView } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { readGrantsFile } from '../../../admin/read-grants-file.js';
import { readPublicKey } from '../../../admin/read-public-key.js';
import { BaseCommand } from '../../../base-command.js';
import { userViewLines } from '../../../render/user-view-lines.js';

/** `hfit admin users add <name>`. */
export default class AdminUsersAdd extends BaseCommand {
  static override summary = 'Add a user, with roles, grants and public keys';
  static override description = `Roles are those of the server config (\`admin\` is built in). The grants file is a YAML list of grants, each with any of actions (browse, rows, files, build, download, admin), tables, volumes, packages, builds, templates (glob patterns). --key takes a public key file (~/.ssh/id_ed25519.pub) or the key text; repeat it for several keys.`;
  static override examples = [
    '<%= config.bin %> admin users add bob --role developer --key ~/bob.pub',
    '<%= config.bin %> admin users add carol --grant-file carol-grants.yaml --key "ssh-ed25519 AAAAC3… carol@laptop"',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'user name (letters, digits, "_", ".", "@", "-")' }),
  };
  static override flags = {
    role: Flags.string({ char: 'r', multiple: true, delimiter: ',', description: 'a role (repeat, or separate with commas)' }),
    key: Flags.string({ char: 'k', multiple: true, description: 'a public key file or key text (repeat for several)' }),
    'grant-file': Flags.string({ char: 'g', description: 'YAML list of grants given to the user directly' }),
  };

  async run(): Promise<UserView> {
    const { args, flags } = await this.parse(AdminUsersAdd);
    const grants = flags['grant-file'] === undefined ? [] : await readGrantsFile(flags['grant-file']);
    const keys = await Promise.all((flags.key ?? []).map((k) => readPublicKey(k)));
    const user = await (await this.client()).admin.createUser({ name: args.name, roles: flags.role ?? [], grants, keys: keys.map((k) => k.text) });
    this.output.line(`added user ${user.name}`);
    this.output.lines(userViewLines(user));
    return user;
  }
}
