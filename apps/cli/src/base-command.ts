import { createApiClient, type ApiClient } from '@hfit/api-client';
import { Command, Errors, type Interfaces } from '@oclif/core';
import { cliEnvironment, type CliEnvironment } from './config/cli-environment.js';
import { configPaths, type ConfigPaths } from './config/config-paths.js';
import { resolveSettings, type ResolvedSettings } from './config/resolve-settings.js';
import { CliError } from './errors/cli-error.js';
import { describeError } from './errors/describe-error.js';
import { errorLines } from './render/error-lines.js';
import { Output } from './render/output.js';

/** The hint shown when no server is configured. */
export const SERVER_HINT = 'run `hfit config set server <url>` (or `hfit config <server> <email> <private_key_path>`), or set HFIT_SERVER';

/**
 * Base of every `hfit` command: `--json` (the command's return value is printed as one JSON
 * document; human output is suppressed), settings from the config dir and the environment, the
 * API client, TTY-aware output, and failures as one line on stderr (`hfit: <message> (<code>)`,
 * then a hint) with the exit codes of `ExitCode`.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** The environment, read once when the command starts. */
  protected env!: CliEnvironment;
  protected paths!: ConfigPaths;
  protected output!: Output;
  private settingsCache: Promise<ResolvedSettings> | undefined;

  protected override async init(): Promise<void> {
    await super.init();
    this.env = cliEnvironment();
    this.paths = configPaths(this.env);
    this.output = new Output({ stdout: process.stdout, stderr: process.stderr, json: this.jsonEnabled(), noColor: this.env.noColor });
  }

  /** The settings in effect (environment, then config dir, then `~/.hfit`), read once per command. */
  protected settings(): Promise<ResolvedSettings> {
    this.settingsCache ??= resolveSettings(this.paths, this.env);
    return this.settingsCache;
  }

  /** A client of the configured API with the configured token. */
  protected async client(): Promise<ApiClient> {
    const settings = await this.settings();
    const server = settings.server?.value;
    if (server === undefined) throw new CliError('no hfit server is configured', { code: 'SERVER_NOT_CONFIGURED', hint: SERVER_HINT });
    try {
      return createApiClient({ baseUrl: server, token: settings.token?.value, userAgent: `hfit-cli/${this.config.version}` });
    } catch (err) {
      throw new CliError(`server "${server}" (${settings.server!.from}) is not usable: ${(err as Error).message}`, { code: 'SERVER_INVALID', hint: SERVER_HINT });
    }
  }

  /** Prints a failure (one line, problems, hint; or `{error}` with `--json`) and exits with its code. */
  protected override async catch(err: Interfaces.CommandError): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    const report = describeError(err);
    if (this.jsonEnabled()) {
      const { message, code, exitCode, hint, problems, data } = report;
      this.logJson({ error: { message, ...(code === undefined ? {} : { code }), exitCode, ...(hint === undefined ? {} : { hint }), ...(problems.length ? { problems } : {}), ...data } });
    } else {
      // init() may not have run (a failure before it): stderr is the process's then.
      (this.output?.stderr ?? process.stderr).write(`${errorLines(report).join('\n')}\n`);
    }
    throw new Errors.ExitError(report.exitCode);
  }
}
