import { bestFile, listVolumeFiles, listVolumes, openVolumeDownload, volumeExists } from '@hfit/browse';
import type { LoadedServerConfig } from '@hfit/config';
import { FileDownloadQuerySchema, FileEntrySchema, FileQuerySchema, VolumeListSchema } from '@hfit/contracts';
import { VolumeParamsSchema } from './browse-params.js';
import { clientGoneSignal } from './client-gone-signal.js';
import { withQueryFields } from './query-field-errors.js';
import type { RouteModule } from './route-module.js';
import { RESPONSE_SENT, reply } from './route-spec.js';
import { NDJSON_MEDIA_TYPE, sendNdjson } from './send-ndjson.js';
import { encodeVolumePath, FILE_PATH_HEADER, sendVolumeDownload, VOLUME_DOWNLOAD_HEADERS, VOLUME_FILE_MEDIA_TYPE } from './send-volume-download.js';

const FILTER_HELP =
  'Repeat `filter`; every one must hold: `name:<glob>` (base name), `mtime:<days>` (positive: modified within N days, ' +
  'negative: older), `size:>N`, `size:<N`, `size:N` (k/M/G suffixes), `sort:<mtime|size|name>[:asc|desc]`, `path:<folder>` ' +
  '(start below the root). A token that is none of these is a `400 REQUEST_INVALID` naming it.';

const CONFINEMENT =
  'Paths are relative to the volume root: `..`, absolute paths, backslashes and NUL are refused (`422 PATH_ESCAPE`), ' +
  'and so is a symlink whose target lies outside the root.';

/**
 * The configured volumes: `GET /v1/volumes`, `HEAD /v1/volumes/:volume`, a recursive listing as
 * NDJSON (`/files`), one file's download (`/file?path=`) and the "best" file's download by filters
 * and sort (`/best`). Every file access goes through `@hfit/browse`, which confines it to the
 * volume's real root (lexical checks, then the opened file's real path).
 */
export function volumeRoutes(config: Pick<LoadedServerConfig, 'volumes'>): RouteModule {
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
      responses: { 200: { description: 'The volumes', schema: VolumeListSchema } },
      handle: async () => reply(200, listVolumes(config)),
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
      handle: async ({ params }) => (volumeExists(config, params.volume) ? reply(200, undefined) : reply(404, undefined)),
    });
    registry.add({
      method: 'get',
      path: '/v1/volumes/:volume/files',
      operationId: 'listVolumeFiles',
      summary: 'List a volume recursively, streamed as NDJSON',
      description:
        'One `FileEntry` (`{name, path, size, modtime, isdir}`) per line. Without name/mtime/size filters folders are listed ' +
        `too, each before its content. ${FILTER_HELP} ${CONFINEMENT}`,
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      query: FileQuerySchema,
      responses: { 200: { description: 'One FileEntry JSON object per line', content: [NDJSON_MEDIA_TYPE] } },
      problems: [404, 422],
      handle: async ({ params, query }, ctx) => {
        const signal = clientGoneSignal(ctx.res);
        const entries = await withQueryFields(['filter'], () => listVolumeFiles(config, params.volume, query.filter, { signal }));
        return sendNdjson(ctx, entries, { signal, what: `listing of volume ${params.volume}` });
      },
    });
    registry.add({
      method: 'get',
      path: '/v1/volumes/:volume/file',
      operationId: 'downloadVolumeFile',
      summary: 'Download one file of a volume',
      description: `\`HEAD\` is the existence check: \`200\` with the headers, or \`404\` (also for an unknown volume). ${CONFINEMENT}`,
      tags: ['files'],
      auth: 'bearer',
      params: VolumeParamsSchema,
      query: FileDownloadQuerySchema,
      responses: { 200: { description: 'The file', content: [VOLUME_FILE_MEDIA_TYPE], headers: VOLUME_DOWNLOAD_HEADERS } },
      problems: [404, 422],
      handle: async ({ params, query }, ctx) => {
        if (ctx.req.method === 'HEAD' && !volumeExists(config, params.volume)) {
          ctx.res.status(404).end();
          return RESPONSE_SENT;
        }
        const download = await withQueryFields(['path'], () => openVolumeDownload(config, params.volume, query.path));
        return sendVolumeDownload(ctx, download);
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
        `\`404 FILE_NOT_FOUND\`. ${FILTER_HELP} ${CONFINEMENT}`,
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
      problems: [404, 422],
      handle: async ({ params, query }, ctx) => {
        const signal = clientGoneSignal(ctx.res);
        const best = await withQueryFields(['filter'], () => bestFile(config, params.volume, query.filter, { signal }));
        const download = await openVolumeDownload(config, params.volume, best.path);
        return sendVolumeDownload(ctx, download, { [FILE_PATH_HEADER]: encodeVolumePath(download.path) });
      },
    });
  };
}
