import type { CiTokenView } from '@hfit/contracts';
import { BaseCommand } from '../../../base-command.js';
import { textTable } from '../../../render/text-table.js';

/** `hfit admin tokens list`. */
export default class AdminTokensList extends BaseCommand {
  static override summary = 'List CI tokens (never their secrets): active, expired and revoked';
  static override examples = ['<%= config.bin %> admin tokens list', '<%= config.bin %> admin tokens list --json'];

  async run(): Promise<{ tokens: CiTokenView[] }> {
    await this.parse(AdminTokensList);
    const tokens = await (await this.client()).admin.listTokens();
    this.output.lines(
      textTable(
        ['ID', 'NAME', 'USER', 'ROLE', 'STATUS', 'CREATED', 'BY', 'EXPIRES'],
        tokens.map((t) => [t.id, t.name, t.user, t.role, t.status, t.createdAt, t.createdBy, t.expiresAt ?? 'never']),
      ),
    );
    return { tokens };
  }
}
