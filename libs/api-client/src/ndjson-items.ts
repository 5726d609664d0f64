import type { z } from 'zod';
import { ApiResponseInvalidError } from './api-response-invalid-error.js';
import { ApiStreamInterruptedError } from './api-stream-interrupted-error.js';

/** Media type of the API's NDJSON answers. */
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/**
 * The items of an NDJSON response (one JSON value per `\n`-terminated line), each checked against
 * `schema`, read as the caller iterates (a slow consumer slows the server down: nothing is read
 * ahead beyond the network buffers). Leaving the loop early cancels the body, which closes the
 * connection and stops the server's read.
 *
 * @throws ApiResponseInvalidError when the response is not NDJSON, or a line is not JSON or does
 *   not match `schema`; ApiStreamInterruptedError when the body breaks off (the server cut it after
 *   a failure, or the connection dropped), also inside a line; the reason of `signal` when aborted.
 */
export async function* ndjsonItems<S extends z.ZodType>(response: Response, schema: S, request: string, signal?: AbortSignal): AsyncGenerator<z.output<S>, void, undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (type.split(';')[0]!.trim().toLowerCase() !== NDJSON_MEDIA_TYPE || response.body === null) {
    await response.body?.cancel();
    throw new ApiResponseInvalidError(request, response.status, `expected ${NDJSON_MEDIA_TYPE}, got ${type === '' ? 'no Content-Type' : type}`);
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let rest = '';
  let finished = false;
  const item = (line: string): z.output<S> => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ApiResponseInvalidError(request, response.status, `line ${received + 1} is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ApiResponseInvalidError(request, response.status, parsed.error.issues.map((i) => ({ ...i, path: [`line ${received + 1}`, ...i.path] })));
    received++;
    return parsed.data;
  };
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal?.aborted === true) throw signal.reason;
        throw new ApiStreamInterruptedError(request, received, requestId, err);
      }
      if (chunk.done) break;
      const text = rest + decoder.decode(chunk.value, { stream: true });
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        const line = text.slice(start, nl);
        start = nl + 1;
        if (line.trim() !== '') yield item(line);
      }
      rest = text.slice(start);
    }
    finished = true;
    rest += decoder.decode();
    if (rest.trim() !== '') throw new ApiStreamInterruptedError(request, received, requestId, new Error(`the body ended inside a line (${rest.length} characters without a line end)`));
  } finally {
    // Early exit (break, error, abort): stop the download so the server stops reading too.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
