import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent } from '@hfit/contracts';
import type { AuditChainHead } from './audit-chain-head.js';
import { auditFileName } from './audit-file-name.js';
import { formatAuditLine, GENESIS_HASH, parseAuditLine } from './audit-line.js';

/** How much of an existing file is read to find its last line (the anchor of a new chain). */
const TAIL_BYTES = 256 * 1024;

/**
 * Every write goes to the end (`O_APPEND`), never through a symlink planted in the folder. Read
 * access is only for the tail when the file is opened (positioned reads ignore `O_APPEND`).
 */
const OPEN_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** This writer's chain in the file of one day. */
interface Chain {
  readonly name: string;
  seq: number;
  prev: string;
  /** The file did not end with a newline (a torn line): start the next line with one. */
  needsNewline: boolean;
}

/** Where {@link AuditFileWriter.append} wrote a line: the new head of this writer's chain in that file. */
export interface WrittenAuditLine extends AuditChainHead {
  /** File name in the folder. */
  readonly file: string;
}

/** Options of {@link AuditFileWriter}. */
export interface AuditFileWriterOptions {
  /** Absolute folder of the files (created with mode 0700). */
  readonly dir: string;
  /** Host part of the file names. */
  readonly host: string;
  /** Identifies this writer's chain in the files (`<host>:<pid>:<random>`). */
  readonly writer: string;
  /** ms since the epoch; picks the day's file. */
  readonly now: () => number;
}

/**
 * Appends audit events as hash-chained JSON lines (see `AuditLine`) to one file per UTC day and
 * host: mode 0600 in a 0700 folder, opened `O_APPEND`, one `write()` per line, so several writers
 * (processes on one host, or two instances in one process) interleave whole lines. Appends are
 * serialised: lines reach the file in the order of their `seq`. The file is opened for each line
 * and closed after it: nothing stays open between events (a dropped writer leaks no descriptor),
 * and a file moved away by log rotation is simply created again.
 */
export class AuditFileWriter {
  private chain: Chain | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private dirReady = false;
  private closed = false;

  constructor(private readonly options: AuditFileWriterOptions) {}

  /** Appends `event`; resolves with where the line went, rejects when it could not be written whole. */
  append(event: AuditEvent): Promise<WrittenAuditLine> {
    const run = this.tail.then(() => this.write(event));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Waits for pending appends; later appends are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }

  private async write(event: AuditEvent): Promise<WrittenAuditLine> {
    if (this.closed) throw new Error('the audit log is closed');
    const name = auditFileName(this.options.now(), this.options.host);
    if (!this.dirReady) {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
      this.dirReady = true;
    }
    const handle = await open(path.join(this.options.dir, name), OPEN_FLAGS, 0o600);
    try {
      // A new day (or the first line): link the new chain to the last line the file holds.
      if (this.chain?.name !== name) this.chain = { name, seq: 0, ...(await lastLineOf(handle)) };
      const chain = this.chain;
      const line = formatAuditLine(this.options.writer, chain.seq + 1, chain.prev, event);
      const bytes = Buffer.from(chain.needsNewline ? `\n${line.text}` : line.text, 'utf8');
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
      if (bytesWritten !== bytes.length) {
        // A short write (disk full) left a torn line: end it, so the next line starts clean. The
        // verifier reports the torn line; the chain goes on from the last whole one.
        chain.needsNewline = true;
        throw new Error(`audit file ${name}: only ${bytesWritten} of ${bytes.length} bytes were written (disk full?)`);
      }
      chain.needsNewline = false;
      chain.seq += 1;
      chain.prev = line.hash;
      return { file: name, seq: chain.seq, hash: line.hash };
    } finally {
      await handle.close();
    }
  }
}

/**
 * The hash of the last whole audit line of an open file (the `prev` of a new chain, so that lines
 * written before this writer opened the file cannot be removed unnoticed), and whether the file
 * ends without a newline.
 */
async function lastLineOf(handle: FileHandle): Promise<{ prev: string; needsNewline: boolean }> {
  const { size } = await handle.stat();
  if (size === 0) return { prev: GENESIS_HASH, needsNewline: false };
  const length = Math.min(size, TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, size - length);
  const text = buffer.toString('utf8');
  const needsNewline = !text.endsWith('\n');
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = parseAuditLine(lines[i]!);
    if (parsed !== undefined) return { prev: parsed.hash, needsNewline };
  }
  return { prev: GENESIS_HASH, needsNewline };
}
