import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type GetObjectCommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HfitError } from '@hfit/contracts';
import { assertByteRange } from '../byte-range.js';
import { assertListPrefix, assertObjectKey, objectKeyProblem } from '../object-key-problem.js';
import type { ByteRange, CleanupResult, GetResult, ListedObject, ObjectHead, ObjectStore, PresignOptions, PutOptions, PutResult } from '../object-store.js';
import { objectNotFound, rangeNotSatisfiable } from '../storage-errors.js';

/** Access key pair for an S3-compatible store (the SDK's default chain is used when absent). */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Options of {@link S3ObjectStore}. */
export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Key prefix inside the bucket, e.g. `hfit/packages`; a trailing `/` is added when missing. */
  readonly prefix?: string;
  /** Defaults to `us-east-1` (most S3-compatible stores ignore it, but the SDK needs one). */
  readonly region?: string;
  /** URL of an S3-compatible store (MinIO, Ceph, R2, …); AWS when absent. */
  readonly endpoint?: string;
  /** Address buckets as `endpoint/bucket` rather than `bucket.endpoint` (most non-AWS stores need it). */
  readonly forcePathStyle?: boolean;
  readonly credentials?: S3Credentials;
  /** Multipart part size in bytes, at least 5 MiB (S3's minimum). Default 8 MiB. */
  readonly partSize?: number;
  /** Parts uploaded at once. Memory held by one upload is about `(queueSize + 1) * partSize`. Default 2. */
  readonly queueSize?: number;
  /** Keys asked for per `ListObjectsV2` / `ListMultipartUploads` page, 1 to 1000. Default 1000. */
  readonly listPageSize?: number;
  /** A ready client (tests, custom middleware); `region`, `endpoint`, `forcePathStyle`, `credentials` are then ignored. */
  readonly client?: S3Client;
}

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;
/** S3 allows 10,000 parts: 8 MiB parts cover archives up to ~78 GiB. */
const DEFAULT_PART_SIZE = 8 * MIB;
const DEFAULT_QUEUE_SIZE = 2;

interface S3ErrorShape {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function s3Error(e: unknown): S3ErrorShape {
  return typeof e === 'object' && e !== null ? (e as S3ErrorShape) : {};
}

function isNotFound(e: unknown): boolean {
  const { name, $metadata } = s3Error(e);
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

function isNoSuchUpload(e: unknown): boolean {
  return s3Error(e).name === 'NoSuchUpload';
}

function optionsError(field: string, message: string): HfitError {
  return new HfitError('STORAGE_OPTIONS_INVALID', `storage.${field} ${message}`, { field: `storage.${field}` });
}

function checkCount(value: number | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw optionsError(field, `must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

/** `size` from a `Content-Range: bytes 0-9/1234` header, if it has one. */
function totalFromContentRange(contentRange: string | undefined): number | undefined {
  const m = /\/(\d+)$/.exec(contentRange ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * {@link ObjectStore} on an S3 bucket, AWS or any S3-compatible store.
 *
 * Writes stream through `@aws-sdk/lib-storage`'s `Upload`: one `PutObject` for a body smaller than
 * a part, otherwise a multipart upload holding at most about `(queueSize + 1) * partSize` bytes.
 * Both are atomic in S3: the object appears only when the upload completes. A failed multipart
 * upload is aborted by `Upload`; one whose process died is aborted by {@link cleanupStaging}.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #pageSize: number;

  constructor(options: S3ObjectStoreOptions) {
    if (typeof options.bucket !== 'string' || options.bucket === '') throw optionsError('bucket', 'must name the bucket');
    this.bucket = options.bucket;
    const prefix = options.prefix ?? '';
    if (prefix !== '') {
      const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
      const problem = objectKeyProblem(trimmed);
      if (problem !== undefined) throw optionsError('prefix', `${JSON.stringify(prefix)} ${problem}`);
      this.prefix = `${trimmed}/`;
    } else {
      this.prefix = '';
    }
    this.#partSize = checkCount(options.partSize, 'partSize', MIN_PART_SIZE, 5 * 1024 * MIB, DEFAULT_PART_SIZE);
    this.#queueSize = checkCount(options.queueSize, 'queueSize', 1, 64, DEFAULT_QUEUE_SIZE);
    this.#pageSize = checkCount(options.listPageSize, 'listPageSize', 1, 1000, 1000);
    this.client = options.client ?? new S3Client(S3ObjectStore.#clientConfig(options));
  }

  static #clientConfig(options: S3ObjectStoreOptions): S3ClientConfig {
    if (options.endpoint !== undefined) {
      try {
        new URL(options.endpoint);
      } catch {
        throw optionsError('endpoint', `must be a URL such as http://127.0.0.1:9000, got ${JSON.stringify(options.endpoint)}`);
      }
    }
    return {
      region: options.region ?? 'us-east-1',
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    };
  }

  async put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<PutResult> {
    return this.publish(key, body, opts);
  }

  async publish(finalKey: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<PutResult> {
    assertObjectKey(finalKey);
    let size = 0;
    let uploadBody: Readable | Buffer;
    if (Buffer.isBuffer(body)) {
      size = body.length;
      uploadBody = body;
    } else {
      // Count bytes on the way through: a stream's length is only known at its end.
      uploadBody = Readable.from(
        (async function* count() {
          for await (const chunk of body as AsyncIterable<Buffer | string>) {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            size += bytes.length;
            yield bytes;
          }
        })(),
        { objectMode: false },
      );
    }
    const upload = new Upload({
      client: this.client,
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      // On failure Upload sends AbortMultipartUpload, so the parts do not linger (and cost).
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: this.prefix + finalKey,
        Body: uploadBody,
        ...(opts.contentType === undefined ? {} : { ContentType: opts.contentType }),
        ...(opts.metadata === undefined ? {} : { Metadata: { ...opts.metadata } }),
      },
    });
    try {
      const result = await upload.done();
      return { key: finalKey, size, ...(result.ETag === undefined ? {} : { etag: result.ETag }) };
    } catch (e) {
      if (!Buffer.isBuffer(body)) body.destroy();
      throw e;
    }
  }

  async presignGet(key: string, expiresInSeconds: number, options: PresignOptions = {}): Promise<string> {
    assertObjectKey(key);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > 7 * 24 * 3600)
      throw optionsError('expiresInSeconds', 'must be an integer from 1 to 604800 (S3 allows at most 7 days)');
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.prefix + key,
      ...(options.fileName === undefined
        ? {}
        : { ResponseContentDisposition: `attachment; filename="${options.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"` }),
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertObjectKey(key);
    if (range !== undefined) assertByteRange(key, range);
    let out: GetObjectCommandOutput;
    try {
      out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end ?? ''}` }),
        }),
      );
    } catch (e) {
      if (isNotFound(e)) throw objectNotFound(key);
      if (s3Error(e).name === 'InvalidRange' || s3Error(e).$metadata?.httpStatusCode === 416) throw rangeNotSatisfiable(key, range?.start ?? 0);
      throw e;
    }
    const body = out.Body;
    if (!(body instanceof Readable)) throw new Error(`S3 GetObject for ${JSON.stringify(key)} returned no Node.js stream`);
    const contentLength = out.ContentLength ?? 0;
    const total = totalFromContentRange(out.ContentRange);
    const size = total ?? contentLength;
    const served =
      range === undefined || out.ContentRange === undefined
        ? undefined
        : { start: range.start, end: range.start + contentLength - 1 };
    return {
      body,
      size,
      contentLength,
      lastModified: out.LastModified ?? new Date(0),
      metadata: out.Metadata ?? {},
      ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }),
      ...(out.ETag === undefined ? {} : { etag: out.ETag }),
      ...(served === undefined ? {} : { range: served }),
    };
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    assertObjectKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return {
        size: out.ContentLength ?? 0,
        lastModified: out.LastModified ?? new Date(0),
        metadata: out.Metadata ?? {},
        ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }),
        ...(out.ETag === undefined ? {} : { etag: out.ETag }),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertListPrefix(prefix);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          MaxKeys: this.#pageSize,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined || !item.Key.startsWith(this.prefix)) continue;
        yield { key: item.Key.slice(this.prefix.length), size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }

  /**
   * Aborts incomplete multipart uploads under the store's prefix that started more than
   * `olderThanMs` ago (a worker that died mid-upload leaves them, and S3 bills their parts). A
   * bucket lifecycle rule `AbortIncompleteMultipartUpload` does the same server-side.
   */
  async cleanupStaging(olderThanMs: number): Promise<CleanupResult> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          ...(this.prefix === '' ? {} : { Prefix: this.prefix }),
          MaxUploads: this.#pageSize,
          ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
          ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined) continue;
        if (upload.Initiated !== undefined && upload.Initiated.getTime() >= cutoff) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
          removed += 1;
        } catch (e) {
          // Completed or aborted by someone else since the listing: nothing left to clean.
          if (!isNoSuchUpload(e)) throw e;
        }
      }
      if (page.IsTruncated !== true || page.NextKeyMarker === undefined) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    return { removed };
  }
}
