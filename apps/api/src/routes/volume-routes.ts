import { bestFile, listVolumeFiles, listVolumes, openVolumeDownload, volumeExists, type VolumeDownload } from '@hfit/browse';
import type { LoadedServerConfig } from '@hfit/config';
import type { AuditSink } from '@hfit/contracts';
import { FileDownloadQuerySchema, FileEntrySchema, FileQuerySchema, VolumeListSchema } from '@hfit/contracts';
import { VolumeParamsSchema } from './browse-params.js';
import { clientGoneSignal } from './client-gone-signal.js';
import { withQueryFields } from './query-field-errors.js';
import { accessOf, auditingDenials, recordAudit, recordAuditAfter } from './route-audit.js';
import type { RouteModule } from './route-module.js';
import { RESPONSE_SENT, reply, type RouteContext } from './route-spec.js';
import { NDJSON_MEDIA_TYPE, sendNdjson } from './send-ndjson.js';
import {
  encodeVolumePath,
  FILE_PATH_HEADER,
  sendVolumeDownload,
  VOLUME_DOWNLOAD_HEADERS,
  VOLUME_FILE_MEDIA_TYPE,
  volumeRangeOf,
  type VolumeRange,
} from './send-volume-download.js';

const FILTER_HELP =
  'Repeat `filter`; every one must hold: `name:<glob>` (base name), `mtime:<days>` (positive: modified within N days, ' +
  'negative: older), `size:>N`, `size:<N`, `size:N` (k/M/G suffixes), `sort:<mtime|size|name>[:asc|desc]`, `path:<folder>` ' +
  '(start below the root). A token that is none of these is a `400 REQUEST_INVALID` naming it.';

const CONFINEMENT =
  'Paths are relative to the volume root: `..`, absolute paths, backslashes and NUL are refused (`422 PATH_ESCAPE`), ' +
  'and so is a symlink whose target lies outside the root.';

const FILE_ACCESS =
  'Needs the `files` action and a `volumes` grant on the path (as normalised, and on the real path a symlink leads to), ' +
  'checked before the file is opened (`403` otherwise). Every download is audited (`browse.file`). One byte `Range` ' +
  'gets `206` with `Content-Range` (`416` past the end; several ranges, or an `If-Range` date other than `Last-Modified`, ' +
  'get the whole file).';

/** What {@link volumeRoutes} records to. */
export interface VolumeRoutesDeps {
  /** `browse.file` for every download, `access.denied` for every refusal. */
  readonly audit: AuditSink;
}

/**
 * The configured volumes: `GET /v1/volumes`, `HEAD /v1/volumes/:volume`, a recursive listing as
 * NDJSON (`/files`), one file's download (`/file?path=`) and the "best" file's download by filters
 * and sort (`/best`). Every file access goes through `@hfit/browse`, which confines it to the
 * volume's real root (lexical checks, then the opened file's real path) and to the caller's
 * grants: listings need the `browse` action and show only granted entries, downloads the `files`
 * action and a grant on the path, checked before anything is opened.
 */
export function volumeRoutes(config: Pick<LoadedServerConfig, 'volumes'>, deps: VolumeRoutesDeps): RouteModule {
  const { audit } = deps;
  /** Streams a download and records it (the bytes sent, when the client got them all). */
  const sendAudited = async (
    ctx: RouteContext<'bearer'>,
    volume: string,
    download: VolumeDownload,
    headers?: Readonly<Record<string, string>>,
  ): Promise<typeof RESPONSE_SENT> => {
    let range: VolumeRange;
    try {
      range = volumeRangeOf(ctx.req, ctx.res, download);
    } catch (err) {
      // 416: nothing is read.
      await download.close().catch(() => undefined);
      throw err;
    }
    let bytes = 0;
    const counted: VolumeDownload = {
      ...download,
      createReadStream: (range) => download.createReadStream(range).on('data', (chunk: string | Buffer) => void (bytes += chunk.length)),
    };
    const target = `${volume}:${download.path}`;
    const detail = range === undefined ? {} : { detail: `range bytes=${range.start}-${range.end}/${download.size}` };
    if (ctx.req.method !== 'HEAD') {
      // Recorded before the first byte; without it the request fails (503) and the file is closed unread.
      try {
        await recordAudit(audit, ctx, { action: 'browse.file', outcome: 'started', target, ...detail });
      } catch (err) {
        await download.close().catch(() => undefined);
        throw err;
      }
    }
    await sendVolumeDownload(ctx, counted, headers, range);
    if (ctx.req.method !== 'HEAD') {
      await recordAuditAfter(audit, ctx, { action: 'browse.file', outcome: ctx.res.writableEnded ? 'success' : 'failure', target, bytes, ...detail });
    }
    return RESPONSE_SENT;
  };
  return (registry) => {
    registry.components({ VolumeList: VolumeListSchema, FileEntry: FileEntrySchema });
    registry.add({
      method: 'get',
      path: '/v1/volumes',
      operationId: 'listVolumes',
      summary: 'The configured volumes',
      description: 'Names only, in configuration order; root folders are never shown.',
      tags: ['files'],
      auth: 'bearer',
      responses: { 200: { description: 'The volumes the caller may browse', schema: VolumeListSchema } },
      problems: [403],
      handle: async (_input, ctx) => auditingDenials(audit, ctx, 'browse', 'volumes', async () => reply(200, listVolumes(config, accessOf(ctx)))),
    });
    registry.add({
      method: 'head',
      path: '/v1/volumes/:volume',
      operationId: 'volumeExists',
      summary: 'Whether a volume is configured',
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      responses: { 200: { description: 'It exists' }, 404: { description: 'It does not exist (no body)' } },
      problems: [403],
      handle: async ({ params }, ctx) =>
        auditingDenials(audit, ctx, 'browse', params.volume, async () => (volumeExists(config, params.volume, accessOf(ctx)) ? reply(200, undefined) : reply(404, undefined))),
    });
    registry.add({
      method: 'get',
      path: '/v1/volumes/:volume/files',
      operationId: 'listVolumeFiles',
      summary: 'List a volume recursively, streamed as NDJSON',
      description:
        'One `FileEntry` (`{name, path, size, modtime, isdir}`) per line. Without name/mtime/size filters folders are listed ' +
        `too, each before its content. Only what the caller's \`volumes\` grant covers is listed (folders that are or may hold granted files). ${FILTER_HELP} ${CONFINEMENT}`,
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      query: FileQuerySchema,
      responses: { 200: { description: 'One FileEntry JSON object per line', content: [NDJSON_MEDIA_TYPE] } },
      problems: [403, 404, 422],
      handle: async ({ params, query }, ctx) => {
        const signal = clientGoneSignal(ctx.res);
        const entries = await auditingDenials(audit, ctx, 'browse', params.volume, () =>
          withQueryFields(['filter'], () => listVolumeFiles(config, params.volume, query.filter, { signal, access: accessOf(ctx) })),
        );
        return sendNdjson(ctx, entries, { signal, what: `listing of volume ${params.volume}` });
      },
    });
    registry.add({
      method: 'get',
      path: '/v1/volumes/:volume/file',
      operationId: 'downloadVolumeFile',
      summary: 'Download one file of a volume',
      description: `\`HEAD\` is the existence check: \`200\` with the headers, or \`404\` (also for an unknown volume). ${CONFINEMENT} ${FILE_ACCESS}`,
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      query: FileDownloadQuerySchema,
      responses: { 200: { description: 'The file', content: [VOLUME_FILE_MEDIA_TYPE], headers: VOLUME_DOWNLOAD_HEADERS } },
      problems: [403, 404, 422],
      handle: async ({ params, query }, ctx) => {
        const access = accessOf(ctx);
        const download = await auditingDenials(audit, ctx, 'files', `${params.volume}:${query.path}`, async () => {
          if (ctx.req.method === 'HEAD') {
            access.requireAction('files');
            access.requireSeeVolume(params.volume);
            if (!volumeExists(config, params.volume)) return undefined;
          }
          return withQueryFields(['path'], () => openVolumeDownload(config, params.volume, query.path, { access }));
        });
        if (download === undefined) {
          ctx.res.status(404).end();
          return RESPONSE_SENT;
        }
        return sendAudited(ctx, params.volume, download);
      },
    });
    registry.add({
      method: 'get',
      path: '/v1/volumes/:volume/best',
      operationId: 'downloadBestFile',
      summary: 'Download the "best" file of a volume folder: the first after filtering and sorting',
      description:
        'Of the files the same filters would list (folders never count), the first after `sort:` (default `sort:mtime:desc`, ' +
        `the newest; ties by path). \`${FILE_PATH_HEADER}\` names the chosen file (percent-encoded). No match is a ` +
        `\`404 FILE_NOT_FOUND\`. Only files the caller's grant covers are candidates. ${FILTER_HELP} ${CONFINEMENT} ${FILE_ACCESS}`,
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      query: FileQuerySchema,
      responses: {
        200: {
          description: 'The chosen file',
          content: [VOLUME_FILE_MEDIA_TYPE],
          headers: { ...VOLUME_DOWNLOAD_HEADERS, [FILE_PATH_HEADER]: 'Path of the chosen file relative to the volume root, each segment percent-encoded' },
        },
      },
      problems: [403, 404, 422],
      handle: async ({ params, query }, ctx) => {
        const signal = clientGoneSignal(ctx.res);
        const access = accessOf(ctx);
        const download = await auditingDenials(audit, ctx, 'files', params.volume, async () => {
          const best = await withQueryFields(['filter'], () => bestFile(config, params.volume, query.filter, { signal, access }));
          return openVolumeDownload(config, params.volume, best.path, { access });
        });
        return sendAudited(ctx, params.volume, download, { [FILE_PATH_HEADER]: encodeVolumePath(download.path) });
      },
    });
  };
}
