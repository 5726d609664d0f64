/** ANSI styling that is a no-op when colours are off (not a TTY, `NO_COLOR`, `--json`). */
export class Style {
  constructor(readonly enabled: boolean) {}

  private wrap(open: number, close: number, text: string): string {
    return this.enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  }

  bold(text: string): string {
    return this.wrap(1, 22, text);
  }

  dim(text: string): string {
    return this.wrap(2, 22, text);
  }

  red(text: string): string {
    return this.wrap(31, 39, text);
  }

  green(text: string): string {
    return this.wrap(32, 39, text);
  }

  yellow(text: string): string {
    return this.wrap(33, 39, text);
  }
}
