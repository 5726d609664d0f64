import type { CreatedCiToken } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { parseTimeSpec } from '../../../admin/parse-time.js';
import { BaseCommand } from '../../../base-command.js';
import { usageError } from '../../../errors/cli-error.js';

/** `hfit admin tokens create <name> --role <r>`. */
export default class AdminTokensCreate extends BaseCommand {
  static override summary = 'Create a CI token (shown once): it acts as user ci.<name> with one role';
  static override description = `Prints the token once: store it in your CI's secrets and use it as HFIT_TOKEN. Without --expires it does not expire: revoke it with \`hfit admin tokens revoke <id>\` when done.`;
  static override examples = [
    '<%= config.bin %> admin tokens create deploy --role builder --expires 90d',
    '<%= config.bin %> admin tokens create nightly --role builder --expires 2025-12-31 --json',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'token name: 1-63 lower-case letters, digits, "_" or "-"' }),
  };
  static override flags = {
    role: Flags.string({ char: 'r', required: true, description: 'the role the token has' }),
    expires: Flags.string({ char: 'e', description: 'expiry: an ISO date (2025-12-31, 2025-12-31T18:00:00Z) or a duration from now (30d, 12h)' }),
  };

  async run(): Promise<CreatedCiToken> {
    const { args, flags } = await this.parse(AdminTokensCreate);
    const now = new Date();
    const expiresAt = flags.expires === undefined ? undefined : parseTimeSpec(flags.expires, { flag: '--expires', direction: 'future', now });
    if (expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime()) throw usageError(`--expires ${flags.expires} is in the past`);
    const created = await (await this.client()).admin.createToken({ name: args.name, role: flags.role, ...(expiresAt === undefined ? {} : { expiresAt }) });
    this.output.line(`created CI token ${created.name} (id ${created.id}, acts as ${created.user}, role ${created.role}, ${created.expiresAt === undefined ? 'does not expire' : `expires ${created.expiresAt}`}):`);
    this.output.line(created.token);
    this.output.notice('copy the token now: it will not be shown again');
    return created;
  }
}
