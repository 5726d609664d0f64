import type { RawRow } from './mysql-insert-encoder.js';

/**
 * Turns raw MySQL rows into output bytes or text for one format. The pump feeds rows and writes
 * whatever {@link take} returns once {@link pendingBytes} is large enough, so a sink never holds
 * more than about one output chunk.
 */
export interface MysqlRowSink {
  /** Renders one row. */
  row(values: RawRow): void;
  /** Size of what has been rendered and not yet taken (bytes or UTF-16 units; a rough measure). */
  readonly pendingBytes: number;
  /** Hands out the rendered output since the last call; undefined when there is none. */
  take(): Buffer | string | undefined;
  /** Renders whatever closes the output (e.g. the last statement's `;`). */
  end(): void;
}
