import { Args } from '@oclif/core';
import { readPublicKey } from '../../../admin/read-public-key.js';
import { BaseCommand } from '../../../base-command.js';

/** `hfit admin keys rm <user> <fingerprint>`. */
export default class AdminKeysRm extends BaseCommand {
  static override summary = 'Remove a public key of a user';
  static override description = 'The key is named by its fingerprint (SHA256:…, as `hfit admin users show` and `ssh-keygen -lf` print it) or by its public key file.';
  static override examples = ['<%= config.bin %> admin keys rm bob SHA256:Fxyn7yE0sslHBrwRvc1JAvYRsor14scb0uEuRazoORQ', '<%= config.bin %> admin keys rm bob ~/bob-id_ed25519.pub'];
  static override args = {
    user: Args.string({ required: true, description: 'user name' }),
    fingerprint: Args.string({ required: true, description: 'SHA256:… fingerprint, or the public key file' }),
  };

  async run(): Promise<{ user: string; removed: string }> {
    const { args } = await this.parse(AdminKeysRm);
    const fingerprint = args.fingerprint.startsWith('SHA256:') ? args.fingerprint : (await readPublicKey(args.fingerprint)).fingerprint;
    await (await this.client()).admin.removeKey(args.user, fingerprint);
    this.output.line(`removed key ${fingerprint} of ${args.user}`);
    return { user: args.user, removed: fingerprint };
  }
}
