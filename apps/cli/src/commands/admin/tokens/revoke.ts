import type { CiTokenView } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';

/** `hfit admin tokens revoke <id>`. */
export default class AdminTokensRevoke extends BaseCommand {
  static override summary = 'Revoke a CI token: it is refused from now on';
  static override examples = ['<%= config.bin %> admin tokens revoke 01HX…'];
  static override args = {
    id: Args.string({ required: true, description: 'token id (`hfit admin tokens list`)' }),
  };

  async run(): Promise<CiTokenView> {
    const { args } = await this.parse(AdminTokensRevoke);
    const token = await (await this.client()).admin.revokeToken(args.id);
    this.output.line(`revoked CI token ${token.name} (id ${token.id}, ${token.user})`);
    return token;
  }
}
