import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, Errors, run } from '@oclif/core';

/** A command class as tests run it. */
export interface RunnableCommand {
  run(argv?: string[], config?: Config): Promise<unknown>;
}

/** What one command run printed and how it ended. */
export interface CommandRun<T = unknown> {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 when the command returned normally. */
  readonly exitCode: number;
  /** The command's return value (what `--json` prints). */
  readonly result: T | undefined;
  /** What the command threw, when it did not exit normally. */
  readonly error: unknown;
  /** stdout parsed as JSON (for `--json` runs). */
  json<J = unknown>(): J;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Variables set for the run (and restored after); `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Pretend stdout is a terminal (default: not). */
  readonly tty?: boolean;
}

/** apps/cli, where the oclif config (package.json "oclif") is. */
export const CLI_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let config: Promise<Config> | undefined;

/** The oclif config of the CLI, loaded once. */
export function cliConfig(): Promise<Config> {
  config ??= Config.load({ root: CLI_ROOT });
  return config;
}

async function captured<T>(fn: () => Promise<T>, options: RunCommandOptions): Promise<CommandRun<T>> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, tty: process.stdout.isTTY, exitCode: process.exitCode };
  const savedEnv = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(options.env ?? {})) {
    savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') (cb as () => void)();
      return true;
    };
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  process.stdout.isTTY = options.tty ?? false;
  let result: T | undefined;
  let error: unknown;
  let exitCode = 0;
  try {
    result = await fn();
  } catch (e) {
    error = e;
    exitCode = e instanceof Errors.ExitError || (e as { oclif?: { exit?: number } }).oclif?.exit !== undefined ? ((e as { oclif: { exit: number } }).oclif.exit ?? 1) : 1;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.stdout.isTTY = saved.tty;
    process.exitCode = saved.exitCode;
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const stdout = out.join('');
  return { stdout, stderr: err.join(''), exitCode, result, error, json: <J>() => JSON.parse(stdout) as J };
}

/**
 * Runs a command class as `hfit` would (oclif config of apps/cli), capturing stdout and stderr,
 * with `options.env` set for the run. Never throws for the command's failures: see `exitCode`.
 */
export async function runCommand<T = unknown>(command: RunnableCommand, argv: string[], options: RunCommandOptions = {}): Promise<CommandRun<T>> {
  const cfg = await cliConfig();
  return captured(() => command.run(argv, cfg) as Promise<T>, options);
}

/** Runs `hfit <argv>` through oclif's dispatcher (help, topics, aliases), capturing output. */
export async function runCli(argv: string[], options: RunCommandOptions = {}): Promise<CommandRun> {
  return captured(() => run(argv, CLI_ROOT), options);
}
