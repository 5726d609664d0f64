import type { SigningKeyView } from '@hfit/contracts';
import { BaseCommand } from '../../../base-command.js';
import { signingKeyTable } from '../../../render/signing-key-table.js';

/** `hfit admin signing-key list`. */
export default class AdminSigningKeyList extends BaseCommand {
  static override summary = 'List the keys that sign and verify login tokens';
  static override examples = ['<%= config.bin %> admin signing-key list'];

  async run(): Promise<{ keys: SigningKeyView[] }> {
    await this.parse(AdminSigningKeyList);
    const keys = await (await this.client()).admin.signingKeys();
    this.output.lines(signingKeyTable(keys));
    return { keys };
  }
}
