import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to artifact downloads (`GET /v1/builds/:id/artifact`). */
export interface ArtifactTamper {
  /**
   * Serve these bytes as every artifact, and make build records (`GET /v1/builds/:id`,
   * `/v1/packages/:name/latest`) announce their size and sha256: a server publishing a crafted archive.
   */
  readonly replaceWith?: Buffer;
  /** Flip every bit of the byte at this offset of the response body. */
  readonly flipByteAt?: number;
  /** Send this many bytes of the body, then cut the connection. */
  readonly cutAfter?: number;
}

/** A proxy in front of the API that tampers with artifact downloads. */
export interface ArtifactProxy {
  readonly url: string;
  /** `Range` header of every artifact request it saw (undefined: none). */
  readonly artifactRanges: (string | undefined)[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts an HTTP proxy to `target` that passes every request through and, for artifact
 * downloads, flips a byte or cuts the connection as `tamper` says: a corrupt or interrupted
 * download, seen by the CLI as if the network did it.
 */
export async function startArtifactProxy(target: string, tamper: ArtifactTamper): Promise<ArtifactProxy> {
  const artifactRanges: (string | undefined)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers.set(k, v);
      const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : await body(req);
      const upstream = await fetch(new URL(req.url ?? '/', target), { method: req.method ?? 'GET', headers, ...(payload === undefined ? {} : { body: payload }), redirect: 'manual' });
      let bytes: Buffer = Buffer.from(await upstream.arrayBuffer());
      const route = (req.url ?? '').split('?')[0]!;
      const isArtifact = req.method === 'GET' && /^\/v1\/builds\/[^/]+\/artifact$/.test(route);
      if (isArtifact) artifactRanges.push(req.headers.range);
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'keep-alive') out[k] = v;
      });
      const replacement = tamper.replaceWith;
      if (replacement !== undefined && upstream.status === 200) {
        const sha256 = createHash('sha256').update(replacement).digest('hex');
        if (isArtifact) {
          bytes = replacement;
          out['etag'] = `"${sha256}"`;
          delete out['content-range'];
        } else if (/^\/v1\/(builds\/[^/]+|packages\/[^/]+\/latest)$/.test(route)) {
          const view = JSON.parse(bytes.toString('utf8')) as { artifact?: { size: number; sha256: string } };
          if (view.artifact !== undefined) view.artifact = { ...view.artifact, size: replacement.length, sha256 };
          bytes = Buffer.from(JSON.stringify(view));
        }
        out['content-length'] = String(bytes.length);
      }
      res.writeHead(upstream.status, out);
      if (isArtifact && upstream.status < 300 && tamper.flipByteAt !== undefined && tamper.flipByteAt < bytes.length) bytes[tamper.flipByteAt] = bytes[tamper.flipByteAt]! ^ 0xff;
      if (isArtifact && upstream.status < 300 && tamper.cutAfter !== undefined) {
        // Cut a moment after the bytes went out: a web stream that errors drops the chunks its reader has not taken yet.
        res.write(bytes.subarray(0, tamper.cutAfter), () => setTimeout(() => res.socket?.destroy(), 200));
        return;
      }
      res.end(bytes);
    })().catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    artifactRanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
