import { homedir, userInfo } from 'node:os';

/**
 * What the CLI reads from its environment, read in this one place: `HFIT_SERVER` and `HFIT_TOKEN`
 * override the config file (CI), `XDG_CONFIG_HOME`/`HOME` locate it, `NO_COLOR` turns colours off,
 * `HFIT_KEY_PASSPHRASE` unlocks an encrypted login key without a prompt.
 */
export interface CliEnvironment {
  readonly server: string | undefined;
  readonly token: string | undefined;
  readonly xdgConfigHome: string | undefined;
  readonly home: string;
  readonly noColor: boolean;
  /** `HFIT_KEY_PASSPHRASE`, taken as it is (a passphrase may start or end with spaces); undefined when unset or empty. */
  readonly keyPassphrase: string | undefined;
  /** The login name of the OS user (default user name of `hfit login`), when it can be told. */
  readonly osUser: string | undefined;
}

function osUserName(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return nonEmpty(userInfo().username);
  } catch {
    // No passwd entry for the uid (some containers): fall back to what the shell says.
    return nonEmpty(env['USER']) ?? nonEmpty(env['LOGNAME']);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Reads {@link CliEnvironment} from `env` (default: `process.env`). */
export function cliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  return {
    server: nonEmpty(env['HFIT_SERVER']),
    token: nonEmpty(env['HFIT_TOKEN']),
    xdgConfigHome: nonEmpty(env['XDG_CONFIG_HOME']),
    home: nonEmpty(env['HOME']) ?? homedir(),
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    keyPassphrase: env['HFIT_KEY_PASSPHRASE'] === undefined || env['HFIT_KEY_PASSPHRASE'] === '' ? undefined : env['HFIT_KEY_PASSPHRASE'],
    osUser: osUserName(env),
  };
}
