import { request } from 'node:http';

/** An answer to {@link rawRequest}. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * Sends `method rawPath` exactly as written: unlike `fetch`, no URL parsing on the way, so `..`,
 * `%2e%2e` and malformed escapes reach the server as they are (traversal tests).
 */
export function rawRequest(baseUrl: string, method: string, rawPath: string, headers: Readonly<Record<string, string>> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
