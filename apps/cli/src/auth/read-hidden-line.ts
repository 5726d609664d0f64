import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../exit-codes.js';

/** A terminal to read from: `process.stdin` when it is a TTY. */
export type TerminalInput = Readable & { readonly isTTY?: boolean; readonly isRaw?: boolean; setRawMode(mode: boolean): unknown };

/**
 * Asks on the terminal and reads one line without echoing it (a passphrase): `prompt` goes to
 * `output` (stderr, so stdout stays clean), the terminal is put in raw mode for the read and
 * restored after. Enter ends the line; Backspace deletes, Ctrl-U clears; Ctrl-C ends with exit
 * code 130 and Ctrl-D on an empty line cancels. oclif has no password prompt, hence this.
 */
export function readHiddenLine(prompt: string, input: TerminalInput, output: Writable): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const wasRaw = input.isRaw === true;
    let value = '';
    const finish = (outcome: () => void): void => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003') return finish(() => reject(new CliError('interrupted', { code: 'INTERRUPTED', exitCode: ExitCode.interrupted })));
        if (ch === '\u0004') {
          if (value === '') return finish(() => reject(new CliError('no passphrase entered', { code: 'KEY_PASSPHRASE_REQUIRED' })));
          return finish(() => resolve(value));
        }
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    output.write(prompt);
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}
