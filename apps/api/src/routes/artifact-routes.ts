import { pipeline } from 'node:stream/promises';
import type { BuildService, OpenedArtifact } from '@hfit/builds';
import { HfitError } from '@hfit/contracts';
import type { ArchiveFormat, AuditSink } from '@hfit/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth-user.js';
import { decideRange, type RangeDecision } from '../http/byte-range-header.js';
import { ifNoneMatchMatches, ifRangeAllows, strongEtag } from '../http/entity-tag.js';
import { BuildIdParamsSchema } from './build-id-params.js';
import { NO_STORE } from './no-store.js';
import { accessOf, auditingDenials, buildAuditFields, recordAudit, recordAuditAfter } from './route-audit.js';
import type { RouteModule } from './route-module.js';
import { RESPONSE_SENT, type RouteContext } from './route-spec.js';

/** Media type of each archive format. */
export const ARCHIVE_MEDIA_TYPES: Readonly<Record<ArchiveFormat, string>> = { 'tar.gz': 'application/gzip', zip: 'application/zip' };

const ArtifactHeadersSchema = z.object({
  range: z.string().optional().describe('One range: bytes=a-b, bytes=a- or bytes=-n (several ranges get the whole archive)'),
  'if-range': z.string().optional().describe('ETag (or Last-Modified date) the range was computed against'),
  'if-none-match': z.string().optional().describe('ETag of a copy already held: 304 when unchanged'),
});

const REPRESENTATION_HEADERS = {
  ETag: '"<sha256 of the archive>"',
  'Accept-Ranges': 'bytes',
  'Content-Disposition': 'attachment; filename="<packageName>.<format>"',
};

/** What an artifact's representation headers are made of. */
interface Representation {
  readonly name: string;
  readonly format: ArchiveFormat;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
}

function representationOf(opened: Pick<OpenedArtifact, 'view'>): Representation {
  const a = opened.view.artifact;
  return {
    name: a?.name ?? `${opened.view.packageName ?? opened.view.templateName}.${opened.view.options.format}`,
    format: a?.format ?? opened.view.options.format,
    etag: a === undefined ? undefined : strongEtag(a.sha256),
    lastModified: opened.view.finishedAt === undefined ? undefined : new Date(opened.view.finishedAt),
  };
}

function setRepresentationHeaders(res: Response, r: Representation): void {
  // attachment() encodes the file name per RFC 6266 (filename*= for non-ASCII names).
  res.attachment(r.name);
  res.setHeader('Content-Type', ARCHIVE_MEDIA_TYPES[r.format]);
  res.setHeader('Accept-Ranges', 'bytes');
  if (r.etag !== undefined) res.setHeader('ETag', r.etag);
  if (r.lastModified !== undefined) res.setHeader('Last-Modified', r.lastModified.toUTCString());
}

/** What {@link artifactRoutes} records to. */
export interface ArtifactRoutesDeps {
  /** `build.download` for every download (bytes sent, range), `access.denied` for every refusal. */
  readonly audit: AuditSink;
}

/** Streams an opened artifact; a client that goes away aborts the storage read. Records the download. */
async function stream(opened: OpenedArtifact, ctx: RouteContext<'bearer'>, audit: AuditSink): Promise<typeof RESPONSE_SENT> {
  const { res, req, log } = ctx;
  const { object } = opened;
  const view = opened.view;
  const event = {
    action: 'build.download',
    ...buildAuditFields(view),
    ...(view.artifact === undefined ? {} : { sha256: view.artifact.sha256 }),
    ...(object.range === undefined ? {} : { detail: `range bytes=${object.range.start}-${object.range.end}/${object.size}` }),
  } as const;
  if (req.method !== 'HEAD') {
    // Recorded before any header or byte; without it the request fails (503) and the read is aborted.
    try {
      await recordAudit(audit, ctx, { ...event, outcome: 'started' });
    } catch (err) {
      object.body.destroy();
      throw err;
    }
  }
  // Counted from here on: a 'data' listener starts the flow, which must wait for the record above.
  let bytes = 0;
  object.body.on('data', (chunk: string | Buffer) => void (bytes += chunk.length));
  setRepresentationHeaders(res, representationOf(opened));
  res.setHeader('Content-Length', String(object.contentLength));
  if (object.range !== undefined) res.setHeader('Content-Range', `bytes ${object.range.start}-${object.range.end}/${object.size}`);
  res.status(object.range === undefined ? 200 : 206);
  if (req.method === 'HEAD') {
    object.body.destroy();
    res.end();
    return RESPONSE_SENT;
  }
  try {
    // pipeline destroys the storage stream when the response closes early (client disconnect),
    // which closes the file or aborts the S3 GET.
    await pipeline(object.body, res);
  } catch (err) {
    if (res.writableFinished) return RESPONSE_SENT;
    const clientGone = req.destroyed || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
    if (clientGone) log.info({ sent: res.socket?.bytesWritten }, 'artifact download aborted by the client');
    else log.warn({ err }, 'artifact stream failed; the response was cut short');
    if (!res.destroyed) res.destroy();
  }
  await recordAuditAfter(audit, ctx, { ...event, outcome: res.writableEnded ? 'success' : 'failure', bytes });
  return RESPONSE_SENT;
}

async function download(
  builds: BuildService,
  audit: AuditSink,
  id: string,
  headers: z.output<typeof ArtifactHeadersSchema>,
  ctx: RouteContext<'bearer'>,
): Promise<typeof RESPONSE_SENT> {
  const { req, res, user } = ctx;
  const caller: AuthUser = user;
  const presigned = await builds.presignArtifact(caller, id);
  if (presigned !== undefined) {
    // 307 keeps the method (a HEAD stays a HEAD); the URL expires, so nobody may cache this.
    const v = presigned.view;
    // Recorded before the URL is handed out; without it the request fails (503).
    if (req.method !== 'HEAD') {
      await recordAudit(audit, ctx, {
        action: 'build.download',
        outcome: 'success',
        ...buildAuditFields(v),
        detail: 'presigned URL',
        ...(v.artifact === undefined ? {} : { sha256: v.artifact.sha256, bytes: v.artifact.size }),
      });
    }
    for (const [k, val] of Object.entries(NO_STORE)) res.setHeader(k, val);
    res.redirect(307, presigned.url);
    return RESPONSE_SENT;
  }
  const view = await builds.get(caller, id);
  // As openArtifact decides: a build the caller sees, but may not download. (HEAD and 304 need no storage read.)
  accessOf(ctx).requireAction('download');
  const artifact = view.artifact;
  if (artifact === undefined) {
    // The service owns the reason (still running, failed, cancelled, removed by retention):
    // openArtifact throws the matching problem. Should it serve the object anyway, so do we.
    return stream(await builds.openArtifact(caller, id), ctx, audit);
  }
  const rep = representationOf({ view });
  const etag = rep.etag!;
  if (ifNoneMatchMatches(headers['if-none-match'], etag)) {
    res.status(304).setHeader('ETag', etag);
    if (rep.lastModified !== undefined) res.setHeader('Last-Modified', rep.lastModified.toUTCString());
    res.end();
    return RESPONSE_SENT;
  }
  // RFC 9110 §14.2: GET is the only method with range semantics; a HEAD ignores Range.
  const decision: RangeDecision =
    req.method === 'GET' && ifRangeAllows(headers['if-range'], etag, rep.lastModified) ? decideRange(headers.range, artifact.size) : { kind: 'none' };
  if (decision.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${artifact.size}`);
    throw new HfitError('STORAGE_RANGE_INVALID', `Range ${JSON.stringify(headers.range)} is not satisfiable: the archive has ${artifact.size} bytes`, { field: 'headers.range' });
  }
  if (req.method === 'HEAD') {
    // Headers from the build record: no storage request for a HEAD.
    setRepresentationHeaders(res, rep);
    res.setHeader('Content-Length', String(artifact.size));
    res.status(200).end();
    return RESPONSE_SENT;
  }
  const opened = await builds.openArtifact(caller, id, decision.kind === 'satisfiable' ? { start: decision.start, end: decision.end } : undefined);
  return stream(opened, ctx, audit);
}

/**
 * `GET /v1/builds/:id/artifact` (and `HEAD`): a redirect to a presigned URL when the store offers
 * one, else the archive streamed through the API with `ETag` (its sha256), `Accept-Ranges`,
 * single `Range` requests (`206`/`416`), `If-Range`, `If-None-Match` (`304`) and
 * `Content-Disposition: attachment`. A multi-range request gets the whole archive (`200`). Needs the
 * `download` action; a build the caller may not see is `404`. Every download is audited.
 */
export function artifactRoutes(builds: BuildService, deps: ArtifactRoutesDeps): RouteModule {
  return (registry) => {
    registry.add({
      method: 'get',
      path: '/v1/builds/:id/artifact',
      operationId: 'downloadArtifact',
      summary: "Download a succeeded build's archive (resumable)",
      description:
        'Single byte ranges are honoured (`206`); a range past the end is `416` with `Content-Range: bytes */<size>`; ' +
        'several ranges get the whole archive (`200`, RFC 9110 §14.2 lets a server ignore Range). `ETag` is the quoted ' +
        'sha256 of the archive. With presigned storage the answer is a `307` to a short-lived URL. Needs the `download` ' +
        "action (`403`); another user's build is `404` unless the caller's `builds` grant names its owner.",
      tags: ['builds'],
      auth: 'bearer',
      params: BuildIdParamsSchema,
      headers: ArtifactHeadersSchema,
      responses: {
        200: { description: 'The whole archive', content: Object.values(ARCHIVE_MEDIA_TYPES), headers: REPRESENTATION_HEADERS },
        206: { description: 'The requested range', content: Object.values(ARCHIVE_MEDIA_TYPES), headers: { ...REPRESENTATION_HEADERS, 'Content-Range': 'bytes <start>-<end>/<size>' } },
        304: { description: 'The copy named by If-None-Match is current', headers: { ETag: '"<sha256 of the archive>"' } },
        307: { description: 'Fetch the archive from storage at Location (expires)', headers: { Location: 'Presigned URL' } },
      },
      problems: [403, 404, 409, 410, 416],
      handle: async ({ params, headers }, ctx) => auditingDenials(deps.audit, ctx, 'download', params.id, () => download(builds, deps.audit, params.id, headers, ctx)),
    });
  };
}
