import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuildView } from '@hfit/contracts';

/** How the server answers one request (the next one without a behaviour answers normally). */
export interface ArtifactServerBehaviour {
  /** Send this many bytes of the body, then destroy the connection. */
  readonly cutAfter?: number;
  /** Send this many bytes of the body, then send nothing more (until the server closes). */
  readonly stallAfter?: number;
  /** Send the archive with the byte at this offset flipped (headers unchanged). */
  readonly flipByteAt?: number;
  /** Answer 200 with the whole archive whatever the Range. */
  readonly ignoreRange?: boolean;
  /** Send this ETag instead of the archive's. */
  readonly etag?: string;
}

/** What a request asked for. */
export interface ArtifactRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly authorization: string | undefined;
}

/** A local HTTP server answering `GET /v1/builds/<id>/artifact` like the hfit API. */
export interface ArtifactServer {
  readonly url: string;
  readonly requests: ArtifactRequest[];
  /** Behaviours for the next requests, in order. */
  readonly next: ArtifactServerBehaviour[];
  close(): Promise<void>;
}

function problem(res: ServerResponse, status: number, code: string, detail: string): void {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://hfit.dev/problems/${code}`, title: code, status, detail, code }));
}

/** `bytes=a-` or `bytes=a-b` → [start, end] (inclusive), `undefined` for anything else. */
function singleRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(header);
  if (m === null) return undefined;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

/**
 * Serves `archive` as the artifact of build `buildId` with the API's headers and semantics:
 * `ETag` (the quoted sha256), `Accept-Ranges`, single ranges (206 with `Content-Range`), 416 past
 * the end, `If-Range` by strong comparison (a mismatch gets the whole archive), and the
 * misbehaviours queued in `next` (cut, stall, flipped byte, ignored range).
 */
export async function startArtifactServer(buildId: string, archive: Buffer, fileName = 'pkg.tar.gz'): Promise<ArtifactServer> {
  const etag = `"${createHash('sha256').update(archive).digest('hex')}"`;
  const requests: ArtifactRequest[] = [];
  const next: ArtifactServerBehaviour[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const range = req.headers.range;
    const ifRangeHeader = req.headers['if-range'];
    const ifRange = Array.isArray(ifRangeHeader) ? ifRangeHeader.join(', ') : ifRangeHeader;
    requests.push({ path: req.url ?? '', range, ifRange, authorization: req.headers.authorization });
    if (req.method !== 'GET' || req.url !== `/v1/builds/${buildId}/artifact`) {
      problem(res, 404, 'BUILD_NOT_FOUND', `no build at ${req.url ?? ''}`);
      return;
    }
    const behaviour = next.shift() ?? {};
    const sentEtag = behaviour.etag ?? etag;
    let body = archive;
    if (behaviour.flipByteAt !== undefined) {
      body = Buffer.from(archive);
      body[behaviour.flipByteAt] = body[behaviour.flipByteAt]! ^ 0xff;
    }
    const rangeAllowed = behaviour.ignoreRange !== true && (ifRange === undefined || ifRange === sentEtag);
    const decided = rangeAllowed ? singleRange(range, body.length) : undefined;
    if (decided === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${body.length}`);
      problem(res, 416, 'STORAGE_RANGE_INVALID', `Range ${range ?? ''} is not satisfiable`);
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/gzip',
      'Accept-Ranges': 'bytes',
      ETag: sentEtag,
      'Content-Disposition': `attachment; filename="${fileName}"`,
    };
    let status = 200;
    if (decided !== undefined) {
      status = 206;
      headers['Content-Range'] = `bytes ${decided[0]}-${decided[1]}/${body.length}`;
      body = body.subarray(decided[0], decided[1] + 1);
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    const stopAt = behaviour.cutAfter ?? behaviour.stallAfter;
    if (stopAt === undefined) {
      res.end(body);
      return;
    }
    res.write(body.subarray(0, stopAt), () => {
      // Give the bytes time to reach the client before the connection goes.
      if (behaviour.cutAfter !== undefined) setTimeout(() => res.socket?.destroy(), 50);
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** A succeeded build of `archive` as `GET /v1/builds/:id` shows it. */
export function succeededBuild(id: string, archive: Buffer, packageName = 'pkg', format: 'tar.gz' | 'zip' = 'tar.gz'): BuildView {
  return {
    id,
    state: 'succeeded',
    templateName: 'tpl',
    packageName,
    owner: 'alice',
    args: [],
    namedArgs: {},
    options: { format, consistency: 'source' },
    createdAt: '2024-01-01T00:00:00.000Z',
    startedAt: '2024-01-01T00:00:01.000Z',
    finishedAt: '2024-01-01T00:00:02.000Z',
    progress: { exportsDone: 1, exportsTotal: 1, rows: 0, bytes: archive.length, exports: [] },
    artifact: { name: `${packageName}.${format}`, size: archive.length, sha256: createHash('sha256').update(archive).digest('hex'), format },
    links: { self: `/v1/builds/${id}`, cancel: `/v1/builds/${id}/cancel`, artifact: `/v1/builds/${id}/artifact` },
  };
}
