import type { Writable } from 'node:stream';
import { CliError } from '../errors/cli-error.js';
import { readHiddenLine, type TerminalInput } from './read-hidden-line.js';

/** Where the passphrase of an encrypted login key comes from. */
export interface PassphraseSource {
  /** `env`: `HFIT_KEY_PASSPHRASE`; `prompt`: asked on the terminal; `none`: neither is possible. */
  readonly origin: 'env' | 'prompt' | 'none';
  /** How many passphrases may be tried before giving up (3 at a prompt, as ssh does; 1 otherwise). */
  readonly attempts: number;
  /**
   * The passphrase of `file` (`retry`: the previous one was wrong); throws a one-line `CliError`
   * when there is no way to get one.
   */
  passphrase(file: string, retry?: boolean): Promise<string>;
}

/** What {@link passphraseSource} may use. */
export interface PassphraseSourceOptions {
  /** `HFIT_KEY_PASSPHRASE`, if set. */
  readonly envPassphrase: string | undefined;
  /** stdin: prompted on when it is a terminal. */
  readonly input: TerminalInput | (NodeJS.ReadableStream & { readonly isTTY?: boolean });
  /** Where the prompt is written (stderr). */
  readonly output: Writable;
}

/** `HFIT_KEY_PASSPHRASE` when set, else a prompt without echo when stdin is a terminal, else an error saying to set the variable. */
export function passphraseSource(options: PassphraseSourceOptions): PassphraseSource {
  const env = options.envPassphrase;
  if (env !== undefined) return { origin: 'env', attempts: 1, passphrase: () => Promise.resolve(env) };
  const input = options.input;
  if (input.isTTY === true && typeof (input as Partial<TerminalInput>).setRawMode === 'function') {
    return { origin: 'prompt', attempts: 3, passphrase: (file, retry = false) => readHiddenLine(`${retry ? 'Wrong passphrase, try again' : 'Passphrase'} for ${file}: `, input as TerminalInput, options.output) };
  }
  return {
    origin: 'none',
    attempts: 1,
    passphrase: (file) =>
      Promise.reject(
        new CliError(`${file} is encrypted and stdin is not a terminal to ask for its passphrase: set HFIT_KEY_PASSPHRASE`, { code: 'KEY_PASSPHRASE_REQUIRED' }),
      ),
  };
}
