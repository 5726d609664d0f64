import { isApiError } from '@hfit/api-client';
import { BaseCommand } from '../base-command.js';
import { resolveSettings } from '../config/resolve-settings.js';
import { SettingsFile } from '../config/settings-file.js';
import { CliError } from '../errors/cli-error.js';

/** What `hfit logout --json` prints. */
export interface LogoutResult {
  /** A token was stored (and is now removed). */
  readonly loggedOut: boolean;
  /**
   * What the server did with it: `revoked`; `expired` (it answered 401: expired or revoked
   * already); `not-sent` (no server configured, or no token stored).
   */
  readonly server: 'revoked' | 'expired' | 'not-sent';
  readonly tokenFile: string;
}

const SAID: Readonly<Record<LogoutResult['server'], string>> = {
  revoked: 'Logged out: the token was revoked on the server and removed',
  expired: 'Logged out: the token had expired and was removed',
  'not-sent': 'Logged out: the token was removed (no server is configured to revoke it)',
};

/** `hfit logout`: revokes the stored login token on the server and removes it. */
export default class Logout extends BaseCommand {
  static override summary = 'Log out: revoke the stored token on the server and remove it';
  static override description = `Sends the stored token to the server to be revoked (one that has expired already is fine), then deletes it from the config dir. Running it again does nothing. HFIT_TOKEN is neither revoked nor changed (revoke CI tokens with \`hfit admin tokens revoke\`).`;
  static override examples = ['<%= config.bin %> logout'];

  async run(): Promise<LogoutResult> {
    await this.parse(Logout);
    const file = new SettingsFile(this.paths);
    const stored = (await file.read()).token;
    const tokenFile = this.paths.tokenFile;
    if (stored === undefined) {
      this.output.line('Not logged in: no token is stored');
      await this.noticeTokenStillSent();
      return { loggedOut: false, server: 'not-sent', tokenFile };
    }
    let server: LogoutResult['server'] = 'not-sent';
    let failure: unknown;
    if ((await this.settings()).server !== undefined) {
      try {
        await (await this.client({ token: stored })).auth.logout();
        server = 'revoked';
      } catch (err) {
        // 401: expired or revoked already, which is what logging out wants.
        if (isApiError(err) && err.status === 401) server = 'expired';
        else failure = err;
      }
    }
    // The token goes whatever the server said: it must not stay usable from here.
    await file.update({ token: undefined });
    if (failure !== undefined) {
      const why = failure instanceof Error ? failure.message : String(failure);
      throw new CliError(`removed the stored token, but the server did not revoke it: ${why}`, {
        code: 'LOGOUT_INCOMPLETE',
        hint: 'it stays valid on the server until it expires',
        cause: failure,
      });
    }
    this.output.line(SAID[server]);
    await this.noticeTokenStillSent();
    return { loggedOut: true, server, tokenFile };
  }

  /** Says when commands still send a token: HFIT_TOKEN, or the original tool's ~/.hfit/token. */
  private async noticeTokenStillSent(): Promise<void> {
    const token = (await resolveSettings(this.paths, this.env)).token;
    if (token !== undefined) this.output.notice(`commands still send the token of ${token.from}`);
  }
}
