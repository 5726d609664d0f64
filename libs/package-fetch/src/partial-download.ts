import { lstat, readFile, rm, writeFile } from 'node:fs/promises';
import type { Artifact } from '@hfit/contracts';

/** What `<file>.part.json` records about the bytes in `<file>.part`. */
export interface PartialDownloadRecord {
  readonly buildId: string;
  /** sha256 of the whole archive the bytes belong to. */
  readonly sha256: string;
  readonly size: number;
  /** The `ETag` the bytes came with, sent as `If-Range` when resuming. */
  readonly etag?: string | undefined;
}

/** Bytes held from an earlier attempt, and how to ask for the rest. */
export interface HeldBytes {
  readonly bytes: number;
  readonly etag: string | undefined;
}

function isRecord(value: unknown): value is PartialDownloadRecord {
  const r = value as Partial<PartialDownloadRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.buildId === 'string' &&
    typeof r.sha256 === 'string' &&
    typeof r.size === 'number' &&
    (r.etag === undefined || typeof r.etag === 'string')
  );
}

/**
 * The two files of a download in progress: `<file>.part` with the bytes received so far, and
 * `<file>.part.json` saying which archive they belong to, so that an interrupted download resumes
 * only into the same archive of the same build.
 */
export class PartialDownload {
  /** The bytes received so far. */
  readonly part: string;
  /** The {@link PartialDownloadRecord} as JSON. */
  readonly record: string;

  constructor(readonly file: string) {
    this.part = `${file}.part`;
    this.record = `${file}.part.json`;
  }

  /**
   * The bytes held for this build's archive. A `.part` of another build or archive, without a
   * readable record, not a regular file, or longer than the archive is removed: nothing is held.
   */
  async held(buildId: string, artifact: Artifact): Promise<HeldBytes> {
    const [record, size] = await Promise.all([this.#readRecord(), this.#partSize()]);
    if (record?.buildId === buildId && record.sha256 === artifact.sha256 && record.size === artifact.size && size !== undefined && size <= artifact.size) {
      return { bytes: size, etag: record.etag };
    }
    await this.discard();
    return { bytes: 0, etag: undefined };
  }

  /** Records which archive the bytes about to be written to `.part` belong to. */
  async begin(record: PartialDownloadRecord): Promise<void> {
    await writeFile(this.record, `${JSON.stringify(record)}\n`);
  }

  /** Removes both files. */
  async discard(): Promise<void> {
    await Promise.all([rm(this.part, { force: true }), rm(this.record, { force: true })]);
  }

  async #readRecord(): Promise<PartialDownloadRecord | undefined> {
    try {
      const value: unknown = JSON.parse(await readFile(this.record, 'utf8'));
      return isRecord(value) ? value : undefined;
    } catch {
      // Missing or unreadable: the bytes cannot be trusted to belong to this archive.
      return undefined;
    }
  }

  async #partSize(): Promise<number | undefined> {
    try {
      const s = await lstat(this.part);
      return s.isFile() ? s.size : undefined;
    } catch {
      return undefined;
    }
  }
}
