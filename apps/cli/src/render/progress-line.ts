import type { Writable } from 'node:stream';

/** How a {@link ProgressLine} shows updates. */
export type ProgressMode =
  /** One line rewritten in place with `\r` (an interactive terminal), with a spinner. */
  | 'tty'
  /** Plain lines, one per change of step (logs, pipes, CI). */
  | 'plain'
  /** Nothing (`--json`). */
  | 'off';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/**
 * A progress display: on a terminal one line rewritten in place, elsewhere plain lines printed
 * only when the caller's `step` changes (so a log gets "running 2/7", not one line per poll).
 */
export class ProgressLine {
  private frame = 0;
  private lastStep: string | undefined;
  private shown = false;

  constructor(
    private readonly stream: Writable & { readonly columns?: number },
    readonly mode: ProgressMode,
  ) {}

  /** Shows `text`; in plain mode only when `step` differs from the last printed one. */
  update(text: string, step: string = text): void {
    if (this.mode === 'off') return;
    if (this.mode === 'plain') {
      if (step === this.lastStep) return;
      this.lastStep = step;
      this.stream.write(`${text}\n`);
      return;
    }
    const spinner = SPINNER[this.frame++ % SPINNER.length]!;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const line = `${spinner} ${text}`;
    this.stream.write(`\r${line.length > width ? `${line.slice(0, width - 1)}…` : line}\u001b[K`);
    this.shown = true;
  }

  /** Prints `text` as a line of its own above the progress line (a finished step). */
  note(text: string): void {
    if (this.mode === 'off') return;
    this.clear();
    this.stream.write(`${text}\n`);
  }

  /** Removes the rewritten line (tty); call before printing the result. */
  clear(): void {
    if (this.mode === 'tty' && this.shown) {
      this.stream.write('\r\u001b[K');
      this.shown = false;
    }
  }
}
