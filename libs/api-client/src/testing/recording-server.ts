import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the {@link RecordingServer} received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path as sent (still percent-encoded), without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** The body parsed as JSON, or undefined when there was none. */
  readonly json: unknown;
}

/** What the server answers to one request. */
export interface StubReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON (`application/json`, or `application/problem+json` for a status >= 400). */
  readonly json?: unknown;
}

/** A local HTTP server that records every request and answers with `reply`. */
export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the answer function. */
  reply: (request: RecordedRequest) => StubReply;
  close(): Promise<void>;
}

/**
 * Starts a {@link RecordingServer} on 127.0.0.1 (ephemeral port): for checking how a client shapes
 * requests (method, path encoding, query, headers, body) without the real API.
 */
export async function startRecordingServer(reply: (request: RecordedRequest) => StubReply = () => ({ status: 204 })): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const state: { reply: (request: RecordedRequest) => StubReply } = { reply };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://stub');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0]!,
        query: url.searchParams,
        headers: req.headers,
        json: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(recorded);
      const answer = state.reply(recorded);
      const headers: Record<string, string> = { ...answer.headers };
      if (answer.json !== undefined) headers['content-type'] ??= answer.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(answer.status, headers);
      res.end(answer.json === undefined ? undefined : JSON.stringify(answer.json));
    })().catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get reply() {
      return state.reply;
    },
    set reply(fn) {
      state.reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
