import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';

/**
 * A named pipe with bytes parked in it: the test holds it open for reading and writing, so the
 * bytes stay until someone reads them. If a server under test opened the pipe and read from it,
 * they would be gone: {@link ParkedFifo.remaining} tells, at the end, how many are still there.
 */
export interface ParkedFifo {
  readonly path: string;
  /** Bytes parked. */
  readonly parked: number;
  /** Reads out what is left (call once, at the end): `parked` when nobody read from the pipe. */
  remaining(): Buffer;
  close(): void;
}

/** Creates a FIFO at `path` (`mkfifo`) and parks `bytes` in it (at most a pipe buffer, 64 KiB). */
export function createParkedFifo(path: string, bytes: Buffer): ParkedFifo {
  if (bytes.length > 60_000) throw new Error('createParkedFifo: park at most 60000 bytes (one pipe buffer)');
  execFileSync('mkfifo', [path]);
  // O_RDWR on a FIFO (Linux) opens at once without another end, and keeps the pipe alive.
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  writeSync(fd, bytes);
  let closed = false;
  return {
    path,
    parked: bytes.length,
    remaining() {
      const chunks: Buffer[] = [];
      for (;;) {
        const buf = Buffer.alloc(65_536);
        let n: number;
        try {
          n = readSync(fd, buf, 0, buf.length, null);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw err;
        }
        if (n <= 0) break;
        chunks.push(buf.subarray(0, n));
      }
      return Buffer.concat(chunks);
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
