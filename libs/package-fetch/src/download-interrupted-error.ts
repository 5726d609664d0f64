/**
 * A download stopped before the last byte (the connection broke, the server cut the answer). The
 * bytes received are kept in `partFile`: downloading the same build to the same file again resumes
 * after them.
 */
export class DownloadInterruptedError extends Error {
  /** Bytes of the archive held in `partFile`. */
  readonly received: number;
  /** Size of the whole archive. */
  readonly total: number;
  readonly partFile: string;

  constructor(buildId: string, received: number, total: number, partFile: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(
      `The download of build ${buildId} stopped after ${received} of ${total} bytes (${why}). The bytes received are kept in ${partFile}: run the command again to resume`,
      { cause },
    );
    this.name = 'DownloadInterruptedError';
    this.received = received;
    this.total = total;
    this.partFile = partFile;
  }
}
