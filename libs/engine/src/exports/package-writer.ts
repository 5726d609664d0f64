import { createHash } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportType, ManifestFile, RowFormat } from '@hfit/contracts';
import type { PackageSink } from '../sink/package-sink.js';

/** What an export says about a file it wrote, beyond bytes and hash. */
export interface FileFacts {
  readonly rows?: number;
  readonly tables?: readonly string[];
  readonly source?: string;
  readonly format?: RowFormat;
}

/**
 * Writes package files through a sink, hashing and counting every byte on the way, and collects
 * the manifest's file list. Producers write to the given stream honouring backpressure and must
 * not end it.
 */
export class PackageWriter {
  readonly files: ManifestFile[] = [];
  bytes = 0;
  rows = 0;

  /** Called after each chunk written (callers throttle it into progress events). */
  onBytes: () => void;

  constructor(
    private readonly sink: PackageSink,
    onBytes: () => void = () => undefined,
  ) {
    this.onBytes = onBytes;
  }

  async write(path: string, exportKey: string, type: ExportType, produce: (out: Writable) => Promise<FileFacts>): Promise<ManifestFile> {
    const target = await this.sink.create(path);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        hash.update(chunk);
        bytes += chunk.length;
        this.bytes += chunk.length;
        this.onBytes();
        cb(null, chunk);
      },
    });
    const flowing = pipeline(tap, target);
    let facts: FileFacts;
    try {
      facts = await produce(tap);
      tap.end();
      await flowing;
    } catch (err) {
      tap.destroy(err as Error);
      await flowing.catch(() => undefined);
      throw err;
    }
    const file: ManifestFile = {
      path,
      export: exportKey,
      type,
      bytes,
      sha256: hash.digest('hex'),
      ...(facts.rows === undefined ? {} : { rows: facts.rows }),
      ...(facts.tables === undefined ? {} : { tables: [...facts.tables] }),
      ...(facts.source === undefined ? {} : { source: facts.source }),
      ...(facts.format === undefined ? {} : { format: facts.format }),
    };
    this.rows += facts.rows ?? 0;
    this.files.push(file);
    return file;
  }
}

/** Writes a string to a stream, waiting for it to drain when its buffer is full. */
export async function writeText(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    out.once('error', onError);
    out.once('drain', () => {
      out.off('error', onError);
      resolve();
    });
  });
}
