import type { Writable } from 'node:stream';
import { ProgressLine } from './progress-line.js';
import { Style } from './style.js';

/** A stream the CLI writes to, with what a TTY stream tells about itself. */
export type OutputStream = Writable & { readonly isTTY?: boolean; readonly columns?: number };

/** Options of {@link Output}. */
export interface OutputOptions {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** `--json`: human output is suppressed; the command's result is printed as JSON at the end. */
  readonly json: boolean;
  /** `NO_COLOR` is set. */
  readonly noColor: boolean;
}

/**
 * Where a command's human output goes. With `--json` nothing is printed here (the result is the
 * output); colours and in-place progress only when stdout is a terminal.
 */
export class Output {
  readonly json: boolean;
  /** stdout is a terminal and `--json` is off: progress may be rewritten in place. */
  readonly interactive: boolean;
  readonly style: Style;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;

  constructor(options: OutputOptions) {
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.json = options.json;
    this.interactive = options.stdout.isTTY === true && !options.json;
    this.style = new Style(this.interactive && !options.noColor);
  }

  /** One line of human output on stdout (nothing with `--json`). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** Several lines of human output. */
  lines(texts: readonly string[]): void {
    for (const t of texts) this.line(t);
  }

  /** A notice on stderr (`hfit: …`), shown with `--json` too since stdout stays machine-readable. */
  notice(text: string): void {
    this.stderr.write(`hfit: ${text}\n`);
  }

  /** A progress display on stdout: rewritten in place on a terminal, plain lines otherwise, none with `--json`. */
  progress(): ProgressLine {
    return new ProgressLine(this.stdout, this.json ? 'off' : this.interactive ? 'tty' : 'plain');
  }
}
