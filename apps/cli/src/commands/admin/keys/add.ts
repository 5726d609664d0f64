import type { PublicKeyView } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { readPublicKey } from '../../../admin/read-public-key.js';
import { BaseCommand } from '../../../base-command.js';

/** `hfit admin keys add <user> <public-key-file>`. */
export default class AdminKeysAdd extends BaseCommand {
  static override summary = "Register a public key for a user's `hfit login`";
  static override description = `The key is a file (an OpenSSH .pub file, or a PEM PUBLIC KEY) or the key text itself. A private key is refused before anything is sent. Supported: RSA (2048 bits or more), ECDSA (P-256, P-384, P-521), Ed25519.`;
  static override examples = ['<%= config.bin %> admin keys add bob ~/bob-id_ed25519.pub', '<%= config.bin %> admin keys add bob "ssh-ed25519 AAAAC3… bob@laptop"'];
  static override args = {
    user: Args.string({ required: true, description: 'user name' }),
    key: Args.string({ required: true, description: 'public key file, or the key text' }),
  };

  async run(): Promise<PublicKeyView & { user: string }> {
    const { args } = await this.parse(AdminKeysAdd);
    const key = await readPublicKey(args.key);
    const added = await (await this.client()).admin.addKey(args.user, key.text);
    this.output.line(`added ${added.type} key ${added.fingerprint} (${added.bits} bits${added.comment === undefined ? '' : `, ${added.comment}`}) to ${args.user}`);
    return { user: args.user, ...added };
  }
}
