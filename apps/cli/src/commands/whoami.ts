import { BaseCommand } from '../base-command.js';

/** What `hfit whoami --json` prints. */
export interface WhoAmIResult {
  readonly user: string;
  readonly server: string;
}

/** `hfit whoami`: who the server thinks you are. */
export default class WhoAmI extends BaseCommand {
  static override summary = 'Show the user the server authenticates your token as';
  static override examples = ['<%= config.bin %> whoami', 'HFIT_TOKEN=$CI_TOKEN <%= config.bin %> whoami --json'];

  async run(): Promise<WhoAmIResult> {
    await this.parse(WhoAmI);
    const client = await this.client();
    const { user } = await client.whoami();
    const server = client.baseUrl.href.replace(/\/$/, '');
    this.output.line(`${user} at ${server}`);
    return { user, server };
  }
}
