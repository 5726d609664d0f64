import { createApiClient, type ApiClient } from '@hfit/api-client';
import { Command, Errors, type Interfaces } from '@oclif/core';
import { cliEnvironment, type CliEnvironment } from './config/cli-environment.js';
import { configPaths, type ConfigPaths } from './config/config-paths.js';
import { resolveSettings, type ResolvedSettings } from './config/resolve-settings.js';
import { CliError } from './errors/cli-error.js';
import { describeError, TOKEN_HINT, type ErrorReport } from './errors/describe-error.js';
import { errorLines } from './render/error-lines.js';
import { Output } from './render/output.js';

/** The hint shown when no server is configured. */
export const SERVER_HINT = 'run `hfit config set server <url>` (or `hfit config <server> <email> <private_key_path>`), or set HFIT_SERVER';

/** The 401 hint when the token in effect is `HFIT_TOKEN`: logging in would not change what is sent. */
export const ENV_TOKEN_HINT = 'HFIT_TOKEN was rejected or has expired: set it to a valid token, or unset it and run `hfit login`';

/** The 401 hint when no token is set at all. */
export const NO_TOKEN_HINT = 'you are not logged in: run `hfit login` (CI: set HFIT_TOKEN)';

/** Options of {@link BaseCommand.client}. */
export interface ClientOptions {
  /** The token to send instead of the configured one; `null` sends none (login). */
  readonly token?: string | null;
  /** The API address instead of the configured one (`hfit login --server`). */
  readonly server?: string;
}

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

  /** A client of the configured API with the configured token (or those of `options`). */
  protected async client(options: ClientOptions = {}): Promise<ApiClient> {
    const settings = await this.settings();
    const server = options.server ?? settings.server?.value;
    if (server === undefined) throw new CliError('no hfit server is configured', { code: 'SERVER_NOT_CONFIGURED', hint: SERVER_HINT });
    const token = options.token === null ? undefined : (options.token ?? settings.token?.value);
    try {
      return createApiClient({ baseUrl: server, token, userAgent: `hfit-cli/${this.config.version}` });
    } catch (err) {
      const from = options.server === undefined ? settings.server!.from : '--server';
      throw new CliError(`server "${server}" (${from}) is not usable: ${(err as Error).message}`, { code: 'SERVER_INVALID', hint: SERVER_HINT });
    }
  }

  /**
   * The hint of a 401 told apart by the token that was sent: `HFIT_TOKEN` (logging in would not
   * help while it is set), none at all, or a stored one (rejected or expired: log in again).
   */
  private async unauthenticatedHint(report: ErrorReport): Promise<ErrorReport> {
    if (report.hint !== TOKEN_HINT) return report;
    try {
      const token = (await this.settings()).token;
      if (token?.origin === 'env') return { ...report, hint: ENV_TOKEN_HINT };
      if (token === undefined) return { ...report, hint: NO_TOKEN_HINT };
    } catch {
      // The settings cannot be read (the failure may be about them): keep the general hint.
    }
    return report;
  }

  /** Prints a failure (one line, problems, hint; or `{error}` with `--json`) and exits with its code. */
  protected override async catch(err: Interfaces.CommandError): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    // init() may not have run (a failure before it): settings are unknown then.
    const report = this.paths === undefined ? describeError(err) : await this.unauthenticatedHint(describeError(err));
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
