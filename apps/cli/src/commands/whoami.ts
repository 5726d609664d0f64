import type { AuthMethod, Grant } from '@hfit/contracts';
import { BaseCommand } from '../base-command.js';

/** What `hfit whoami --json` prints. */
export interface WhoAmIResult {
  readonly user: string;
  readonly server: string;
  readonly via: AuthMethod;
  readonly roles: readonly string[];
  readonly grant: Grant;
}

/** How each list of a grant is labelled in the text output, in print order. */
const GRANT_LINES: readonly (readonly [keyof Grant, string])[] = [
  ['actions', 'actions'],
  ['tables', 'tables'],
  ['volumes', 'volumes'],
  ['packages', 'packages'],
  ['builds', 'builds of'],
  ['templates', 'templates of'],
];

/** `hfit whoami`: who the server thinks you are, and what it lets you do. */
export default class WhoAmI extends BaseCommand {
  static override summary = 'Show the user the server authenticates your token as, with their roles and grant';
  static override description =
    'The grant is the union of your roles\' grants and your own, as the server enforces it: run this when a request is refused (403) to see what you may do.';
  static override examples = ['<%= config.bin %> whoami', 'HFIT_TOKEN=$CI_TOKEN <%= config.bin %> whoami --json'];

  async run(): Promise<WhoAmIResult> {
    await this.parse(WhoAmI);
    const client = await this.client();
    const { user, via, roles, grant } = await client.whoami();
    const server = client.baseUrl.href.replace(/\/$/, '');
    this.output.line(`${user} at ${server} (${via})`);
    this.output.line(`roles: ${roles.length > 0 ? roles.join(', ') : '(none)'}`);
    for (const [key, label] of GRANT_LINES) this.output.line(`${label}: ${grant[key].length > 0 ? grant[key].join(', ') : '(none)'}`);
    return { user, server, via, roles, grant };
  }
}
