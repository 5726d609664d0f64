import { homedir } from 'node:os';

/**
 * What the CLI reads from its environment, read in this one place: `HFIT_SERVER` and `HFIT_TOKEN`
 * override the config file (CI), `XDG_CONFIG_HOME`/`HOME` locate it, `NO_COLOR` turns colours off.
 */
export interface CliEnvironment {
  readonly server: string | undefined;
  readonly token: string | undefined;
  readonly xdgConfigHome: string | undefined;
  readonly home: string;
  readonly noColor: boolean;
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
  };
}
