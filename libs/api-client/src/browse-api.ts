import { DatabaseListSchema, FileEntrySchema, PreviewRowSchema, RowsPreviewSchema, SourceListSchema, TableListSchema, VolumeListSchema } from '@hfit/contracts';
import type { DatabaseList, FileEntry, PreviewRow, RowsPreview, SourceList, TableList, VolumeList } from '@hfit/contracts';
import { ApiResponseInvalidError } from './api-response-invalid-error.js';
import type { CallOptions } from './builds-api.js';
import { describeRequest, segment, type HttpTransport, type TransportRequest } from './http-transport.js';
import { NDJSON_MEDIA_TYPE, ndjsonItems } from './ndjson-items.js';
import { FILE_PATH_HEADER, filePathHeader, volumeFileDownloadOf, type VolumeFileDownload } from './volume-file-download.js';

/** What {@link BrowseApi.rows} and {@link BrowseApi.rowsStream} read. */
export interface RowsParams {
  /** Condition in the template syntax (`id > 10 AND name LIKE 'a%'`, `WHERE` optional). */
  readonly filter?: string;
  /** Rows, 1-10000 (server default 100), first ones in primary-key order. */
  readonly limit?: number;
}

const PROBLEM = 'application/problem+json';

function tablePath(source: string, database: string, table: string): string {
  return `/v1/sources/${segment(source)}/databases/${segment(database)}/tables/${segment(table)}`;
}

/**
 * `/v1/sources` and `/v1/volumes`: what templates can name. Lists are validated with the
 * contracts' schemas; streamed answers (rows as NDJSON, volume listings) are async iterables read
 * as the caller iterates, so leaving a loop early stops the server's read. Every argument is
 * sent as one path segment or query value, encoded, whatever it holds (spaces, `/`, `%`, quotes).
 */
export class BrowseApi {
  constructor(private readonly transport: HttpTransport) {}

  /** `GET /v1/sources`: name and type of every configured source. */
  async sources(options: CallOptions = {}): Promise<SourceList> {
    return (await this.transport.json({ path: '/v1/sources', signal: options.signal }, SourceListSchema)).data;
  }

  /** `HEAD /v1/sources/:source`. */
  async sourceExists(source: string, options: CallOptions = {}): Promise<boolean> {
    return this.exists({ path: `/v1/sources/${segment(source)}`, signal: options.signal });
  }

  /** `GET /v1/sources/:source/databases`: databases (MySQL/MariaDB) or schemas (PostgreSQL) hfit may read. */
  async databases(source: string, options: CallOptions = {}): Promise<DatabaseList> {
    return (await this.transport.json({ path: `/v1/sources/${segment(source)}/databases`, signal: options.signal }, DatabaseListSchema)).data;
  }

  /** `HEAD /v1/sources/:source/databases/:database`; false too for an unknown source. */
  async databaseExists(source: string, database: string, options: CallOptions = {}): Promise<boolean> {
    return this.exists({ path: `/v1/sources/${segment(source)}/databases/${segment(database)}`, signal: options.signal });
  }

  /** `GET /v1/sources/:source/databases/:database/tables`: columns, primary and foreign keys of each table. */
  async tables(source: string, database: string, options: CallOptions = {}): Promise<TableList> {
    const path = `/v1/sources/${segment(source)}/databases/${segment(database)}/tables`;
    return (await this.transport.json({ path, signal: options.signal }, TableListSchema)).data;
  }

  /** `HEAD …/tables/:table`; false too for an unknown source or database. */
  async tableExists(source: string, database: string, table: string, options: CallOptions = {}): Promise<boolean> {
    return this.exists({ path: tablePath(source, database, table), signal: options.signal });
  }

  /** `GET …/tables/:table/rows` as JSON: the columns and the rows, all at once. */
  async rows(source: string, database: string, table: string, params: RowsParams = {}, options: CallOptions = {}): Promise<RowsPreview> {
    const request = { path: `${tablePath(source, database, table)}/rows`, query: { filter: params.filter, limit: params.limit }, signal: options.signal };
    return (await this.transport.json(request, RowsPreviewSchema)).data;
  }

  /**
   * `GET …/tables/:table/rows` as NDJSON: the rows one by one as the server reads them. The
   * request is sent on the first iteration; its problems (a rejected filter) are thrown there.
   */
  async *rowsStream(source: string, database: string, table: string, params: RowsParams = {}, options: CallOptions = {}): AsyncGenerator<PreviewRow, void, undefined> {
    const request: TransportRequest = {
      path: `${tablePath(source, database, table)}/rows`,
      query: { filter: params.filter, limit: params.limit },
      headers: { Accept: `${NDJSON_MEDIA_TYPE}, ${PROBLEM}` },
      signal: options.signal,
    };
    yield* ndjsonItems(await this.transport.expect(request), PreviewRowSchema, describeRequest(request), options.signal);
  }

  /** `GET /v1/volumes`: the configured volumes. */
  async volumes(options: CallOptions = {}): Promise<VolumeList> {
    return (await this.transport.json({ path: '/v1/volumes', signal: options.signal }, VolumeListSchema)).data;
  }

  /** `HEAD /v1/volumes/:volume`. */
  async volumeExists(volume: string, options: CallOptions = {}): Promise<boolean> {
    return this.exists({ path: `/v1/volumes/${segment(volume)}`, signal: options.signal });
  }

  /**
   * `GET /v1/volumes/:volume/files`: the recursive listing, entry by entry. `filters` in the
   * original syntax (`name:*.txt`, `mtime:7`, `size:>1k`, `sort:mtime:desc`, `path:sub`), each
   * sent as one `filter` parameter. The request is sent on the first iteration.
   */
  async *files(volume: string, filters: readonly string[] = [], options: CallOptions = {}): AsyncGenerator<FileEntry, void, undefined> {
    const request: TransportRequest = {
      path: `/v1/volumes/${segment(volume)}/files`,
      query: { filter: filters },
      headers: { Accept: `${NDJSON_MEDIA_TYPE}, ${PROBLEM}` },
      signal: options.signal,
    };
    yield* ndjsonItems(await this.transport.expect(request), FileEntrySchema, describeRequest(request), options.signal);
  }

  /**
   * `HEAD /v1/volumes/:volume/file?path=`: false for a missing file or an unknown volume. A path
   * that would leave the volume (`..`, absolute, a symlink out) throws an `ApiError` with status 422.
   */
  async fileExists(volume: string, path: string, options: CallOptions = {}): Promise<boolean> {
    return this.exists({ path: `/v1/volumes/${segment(volume)}/file`, query: { path }, signal: options.signal });
  }

  /** `GET /v1/volumes/:volume/file?path=`: one file as a stream. */
  async downloadFile(volume: string, path: string, options: CallOptions = {}): Promise<VolumeFileDownload> {
    const response = await this.transport.expect({ path: `/v1/volumes/${segment(volume)}/file`, query: { path }, headers: { Accept: '*/*' }, signal: options.signal });
    return volumeFileDownloadOf(response, path);
  }

  /**
   * `GET /v1/volumes/:volume/best`: the first file after filtering and sorting (default: the
   * newest), as a stream; `path` is the file the server chose.
   */
  async bestFile(volume: string, filters: readonly string[] = [], options: CallOptions = {}): Promise<VolumeFileDownload> {
    const request: TransportRequest = { path: `/v1/volumes/${segment(volume)}/best`, query: { filter: filters }, headers: { Accept: '*/*' }, signal: options.signal };
    const response = await this.transport.expect(request);
    const chosen = filePathHeader(response.headers.get(FILE_PATH_HEADER));
    if (chosen === undefined) {
      await response.body?.cancel();
      throw new ApiResponseInvalidError(describeRequest(request), response.status, `the ${FILE_PATH_HEADER} header is missing or malformed`);
    }
    return volumeFileDownloadOf(response, chosen);
  }

  /** A `HEAD` existence check: 200 true, 404 false, anything else an `ApiError` (made from the status: a HEAD answer has no body). */
  private async exists(request: Omit<TransportRequest, 'method'>): Promise<boolean> {
    const response = await this.transport.expect({ ...request, method: 'HEAD' }, [200, 404]);
    return response.status === 200;
  }
}
