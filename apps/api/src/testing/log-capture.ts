/** A pino destination that keeps every line, so tests can read the log back. */
export interface LogCapture {
  write(line: string): void;
  /** Every line parsed. */
  records(): Record<string, unknown>[];
  /** Everything written, as one string (to assert a secret appears nowhere). */
  text(): string;
}

/** A new, empty {@link LogCapture}. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  return {
    write: (line: string) => void lines.push(line),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}
