import { UserNameSchema } from '@hfit/contracts';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { resolveKeyPath } from '../auth/key-path.js';
import { loadLoginKey } from '../auth/load-login-key.js';
import type { LoginKeyType } from '../auth/login-key.js';
import { loginWithKey } from '../auth/login-with-key.js';
import { passphraseSource } from '../auth/passphrase-source.js';
import { normaliseSetting } from '../config/setting-keys.js';
import { SettingsFile } from '../config/settings-file.js';
import { usageError } from '../errors/cli-error.js';

/** What `hfit login --json` prints (never the token: `hfit config get token` has it). */
export interface LoginResult {
  readonly user: string;
  readonly server: string;
  readonly expiresAt: string;
  readonly expiresIn: number;
  readonly key: { readonly path: string; readonly type: LoginKeyType; readonly bits: number; readonly fingerprint: string };
  /** Where the token was stored (mode 0600). */
  readonly tokenFile: string;
}

/** `hfit login`: key-pair login; the token goes where `hfit config set token` puts it. */
export default class Login extends BaseCommand {
  static override summary = 'Log in with your SSH key: sign a challenge from the server, store the token it gives';
  static override description = `Asks the server for a challenge, signs it with your private key and stores the token the server answers (valid for a limited time, an hour by default) in the config dir (mode 0600), with the user name. Later commands send it; run \`hfit login\` again when it expires.

The user is --user, else the configured one (\`hfit config set user <name>\`), else your OS user name. The key is --key, else the configured one (\`hfit config set key <path>\`), else the first of ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa. PEM (PKCS#1, SEC1, PKCS#8, encrypted or not) and OpenSSH keys are read; RSA (2048 bits or more), ECDSA (P-256, P-384, P-521) and Ed25519 are supported. An encrypted key's passphrase is read from HFIT_KEY_PASSPHRASE, else asked for on the terminal. An admin registers your public key (\`hfit admin keys add <user> <key>.pub\`).`;
  static override examples = [
    '<%= config.bin %> login',
    '<%= config.bin %> login --user alice --key ~/.ssh/id_ecdsa --server https://hfit.internal:8080',
    'HFIT_KEY_PASSPHRASE=… <%= config.bin %> login --json',
  ];
  static override flags = {
    user: Flags.string({ char: 'u', description: 'user name on the server (default: the configured user, else your OS user name)' }),
    key: Flags.string({ char: 'k', description: 'private key file (default: the configured key, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa)' }),
    server: Flags.string({ char: 's', description: 'API address; stored for later commands when the login succeeds' }),
  };

  async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const settings = await this.settings();
    const server = flags.server === undefined ? undefined : normaliseSetting('server', flags.server);
    const user = flags.user ?? settings.email?.value ?? this.env.osUser;
    if (user === undefined) throw usageError('no user name: give --user <name>', 'or store it once: `hfit config set user <name>`');
    const valid = UserNameSchema.safeParse(user);
    if (!valid.success) throw usageError(`user name "${user}" is not valid: ${valid.error.issues[0]?.message ?? 'invalid'}`);

    const keyPath = await resolveKeyPath({ flag: flags.key, setting: settings.privateKeyPath?.value, home: this.env.home });
    const key = await loadLoginKey(keyPath.path, passphraseSource({ envPassphrase: this.env.keyPassphrase, input: process.stdin, output: this.output.stderr }));
    const client = await this.client({ token: null, ...(server === undefined ? {} : { server }) });
    const token = await loginWithKey(client, user, key);

    await new SettingsFile(this.paths).update({ token: token.token, email: token.user, ...(server === undefined ? {} : { server }) });
    const serverUrl = client.baseUrl.href.replace(/\/$/, '');
    this.output.line(`Logged in as ${token.user} until ${token.expiresAt}`);
    if (this.env.token !== undefined) this.output.notice('HFIT_TOKEN is set and overrides the stored token: unset it to use this login');
    if (server !== undefined && this.env.server !== undefined && this.env.server !== server) this.output.notice('HFIT_SERVER is set and overrides the stored server');
    return {
      user: token.user,
      server: serverUrl,
      expiresAt: token.expiresAt,
      expiresIn: token.expiresIn,
      key: { path: key.path, type: key.type, bits: key.bits, fingerprint: key.fingerprint },
      tokenFile: this.paths.tokenFile,
    };
  }
}
