import type { SigningKeyView } from '@hfit/contracts';
import { BaseCommand } from '../../../base-command.js';
import { signingKeyTable } from '../../../render/signing-key-table.js';

/** `hfit admin signing-key rotate`. */
export default class AdminSigningKeyRotate extends BaseCommand {
  static override summary = 'Start signing login tokens with a new key (the old one still verifies during its grace period)';
  static override examples = ['<%= config.bin %> admin signing-key rotate'];

  async run(): Promise<{ keys: SigningKeyView[] }> {
    await this.parse(AdminSigningKeyRotate);
    const keys = await (await this.client()).admin.rotateSigningKey();
    const current = keys.find((k) => k.status === 'current');
    this.output.line(`rotated: new tokens are signed with ${current?.kid ?? '(no current key listed)'}`);
    this.output.lines(signingKeyTable(keys));
    return { keys };
  }
}
