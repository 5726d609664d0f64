import type { Readable } from 'node:stream';

/** Options for {@link ObjectStore.put} and {@link ObjectStore.publish}. */
export interface PutOptions {
  /** MIME type stored with the object, e.g. `application/gzip`. */
  readonly contentType?: string;
  /**
   * User metadata stored with the object. Keys are lower-cased ASCII (S3 folds them), values ASCII:
   * S3 sends them as HTTP headers.
   */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What a successful {@link ObjectStore.put} or {@link ObjectStore.publish} wrote. */
export interface PutResult {
  readonly key: string;
  /** Bytes stored. */
  readonly size: number;
  /** Entity tag reported by the store (S3); absent for the file-system store. */
  readonly etag?: string;
}

/**
 * Inclusive byte range, as in HTTP `Range: bytes=start-end`. `end` defaults to the last byte and is
 * clamped to it; a `start` at or past the end of the object is rejected (`STORAGE_RANGE_INVALID`).
 */
export interface ByteRange {
  readonly start: number;
  readonly end?: number;
}

/** Size, date and metadata of a stored object. */
export interface ObjectHead {
  /** Size of the whole object in bytes. */
  readonly size: number;
  readonly lastModified: Date;
  readonly contentType?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly etag?: string;
}

/** An object opened for reading by {@link ObjectStore.get}. */
export interface GetResult extends ObjectHead {
  /** The bytes asked for: the whole object, or just the range. The caller must consume or destroy it. */
  readonly body: Readable;
  /** Bytes in `body`. */
  readonly contentLength: number;
  /** The inclusive range served (end clamped to the object), when a range was asked for. */
  readonly range?: { readonly start: number; readonly end: number };
}

/** One entry of {@link ObjectStore.list}. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** What {@link ObjectStore.cleanupStaging} removed. */
export interface CleanupResult {
  /** Abandoned temp files deleted (fs) or incomplete multipart uploads aborted (S3). */
  readonly removed: number;
}

/**
 * Where finished packages live. Keys are relative `/`-separated paths (see `objectKeyProblem`);
 * every method validates its key first and throws `STORAGE_KEY_INVALID` before any I/O.
 *
 * Both built-in stores make every write atomic: readers see the previous object or the complete new
 * one, never a prefix of it. {@link ObjectStore.publish} is the name callers use when they depend on
 * that, and {@link ObjectStore.cleanupStaging} removes what interrupted writes leave behind.
 */
export interface ObjectStore {
  /** Stores `body` at `key`, replacing any object there. */
  put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<PutResult>;
  /**
   * Opens `key` (or a range of it) for reading.
   * @throws HfitError `STORAGE_OBJECT_NOT_FOUND` when there is no object; `STORAGE_RANGE_INVALID`.
   */
  get(key: string, range?: ByteRange): Promise<GetResult>;
  /** Size, date and metadata of `key`, or `undefined` when there is no such object. */
  head(key: string): Promise<ObjectHead | undefined>;
  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3, not a folder),
   * in ascending key order, fetched page by page.
   */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Removes `key`; removing a missing object is not an error (as in S3). */
  delete(key: string): Promise<void>;
  /**
   * Makes `body` appear at `finalKey` only once it is complete and durable. When the body fails or
   * the upload is interrupted, nothing appears at `finalKey` (a previous object stays) and the
   * partial data is removed at once, or by {@link ObjectStore.cleanupStaging} if the process died.
   */
  publish(finalKey: string, body: Readable | Buffer, opts?: PutOptions): Promise<PutResult>;
  /**
   * Removes staging data older than `olderThanMs` milliseconds that interrupted publishes left
   * behind. Pass an age well above the longest publish, or it may remove one in progress.
   */
  cleanupStaging(olderThanMs: number): Promise<CleanupResult>;
  /**
   * A URL that reads `key` without credentials for `expiresInSeconds` (S3 presigned GET), so the
   * API can redirect a download instead of streaming it. Absent on stores that cannot (fs).
   */
  presignGet?(key: string, expiresInSeconds: number, options?: PresignOptions): Promise<string>;
}

/** Options of {@link ObjectStore.presignGet}. */
export interface PresignOptions {
  /** File name the browser or client should save the download as (`Content-Disposition`). */
  readonly fileName?: string;
}
