/**
 * Groups row tuples into multi-row INSERT statements of at most `batchSize` rows:
 *
 * ```sql
 * INSERT INTO `t` (`a`, `b`) VALUES
 * (1,'x'),
 * (2,'y');
 * ```
 *
 * One tuple per line keeps dumps diffable and greppable; the statement prefix is supplied by the
 * dialect (quoted identifiers), the tuples are already-rendered literals. Pure string work, no I/O.
 */
export class InsertBatcher {
  private inBatch = 0;

  /**
   * @param statementPrefix e.g. ``INSERT INTO `t` (`a`, `b`) VALUES`` (a line break follows it).
   * @param batchSize rows per statement, a positive integer.
   */
  constructor(
    private readonly statementPrefix: string,
    private readonly batchSize: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }

  /** Text to append for one tuple such as `(1,'x')`: opens and closes statements as needed. */
  row(tuple: string): string {
    const head = this.inBatch === 0 ? `${this.statementPrefix}\n` : ',\n';
    if (++this.inBatch < this.batchSize) return head + tuple;
    this.inBatch = 0;
    return `${head}${tuple};\n`;
  }

  /** Text that terminates the open statement ('' when none is open). */
  end(): string {
    if (this.inBatch === 0) return '';
    this.inBatch = 0;
    return ';\n';
  }
}
