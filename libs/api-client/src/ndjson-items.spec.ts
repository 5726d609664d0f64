import { expect } from 'chai';
import { z } from 'zod';
import { ApiResponseInvalidError } from './api-response-invalid-error.js';
import { ApiStreamInterruptedError } from './api-stream-interrupted-error.js';
import { ndjsonItems } from './ndjson-items.js';

const Item = z.object({ n: z.number(), s: z.string() });
const NDJSON = { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Request-Id': 'req-1' };

/** A response whose body yields `chunks`, then ends (or fails with `error`); records a cancel. */
function response(chunks: readonly (string | Uint8Array)[], options: { error?: Error; headers?: Record<string, string> } = {}) {
  const state = { cancelled: false, pulled: 0 };
  const bytes = chunks.map((c) => (typeof c === 'string' ? new TextEncoder().encode(c) : c));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes[state.pulled++];
      if (next !== undefined) controller.enqueue(next);
      else if (options.error) controller.error(options.error);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { res: new Response(body, { status: 200, headers: options.headers ?? NDJSON }), state };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failure(items: AsyncIterable<unknown>): Promise<unknown> {
  return collect(items).then(
    () => expect.fail('should fail'),
    (e: unknown) => e,
  );
}

describe('ndjsonItems', () => {
  it('yields each line as a validated item, across chunk borders and split UTF-8 sequences', async () => {
    const euro = new TextEncoder().encode('{"n":2,"s":"€"}\n');
    const { res } = response(['{"n":1,"s":"a"}\n{"n"', ':3,"s":"b c"}\n\n', euro.subarray(0, 10), euro.subarray(10)]);
    expect(await collect(ndjsonItems(res, Item, 'GET /x'))).to.deep.equal([
      { n: 1, s: 'a' },
      { n: 3, s: 'b c' },
      { n: 2, s: '€' },
    ]);
  });

  it('refuses a response that is not NDJSON, and lines that are not JSON or not of the schema', async () => {
    const html = response(['<html>'], { headers: { 'Content-Type': 'text/html' } });
    const e1 = await failure(ndjsonItems(html.res, Item, 'GET /x'));
    expect(e1).to.be.instanceOf(ApiResponseInvalidError);
    expect((e1 as Error).message).to.contain('expected application/x-ndjson, got text/html');
    expect(html.state.cancelled).to.equal(true);
    const e2 = await failure(ndjsonItems(response(['{"n":1,"s":"a"}\nnot json\n']).res, Item, 'GET /x'));
    expect((e2 as ApiResponseInvalidError).problems).to.deep.equal(['line 2 is not JSON']);
    const e3 = await failure(ndjsonItems(response(['{"n":"1","s":"a"}\n']).res, Item, 'GET /x'));
    expect((e3 as ApiResponseInvalidError).problems[0]).to.match(/^line 1\.n: /);
  });

  it('reports a body that breaks off, or ends inside a line, as ApiStreamInterruptedError', async () => {
    const cut = await failure(ndjsonItems(response(['{"n":1,"s":"a"}\n{"n":2,"s":"b"}\n'], { error: new TypeError('terminated') }).res, Item, 'GET /rows'));
    expect(cut).to.be.instanceOf(ApiStreamInterruptedError);
    expect(cut).to.deep.include({ received: 2, requestId: 'req-1' });
    expect((cut as Error).message).to.equal('The answer to GET /rows was cut after 2 items (terminated); request id req-1');
    const partial = await failure(ndjsonItems(response(['{"n":1,"s":"a"}\n{"n":2,']).res, Item, 'GET /rows'));
    expect(partial).to.be.instanceOf(ApiStreamInterruptedError);
    expect((partial as ApiStreamInterruptedError).received).to.equal(1);
  });

  it('cancels the body when the consumer leaves early, and rethrows an abort as it is', async () => {
    const { res, state } = response(['{"n":1,"s":"a"}\n', '{"n":2,"s":"b"}\n', '{"n":3,"s":"c"}\n']);
    for await (const item of ndjsonItems(res, Item, 'GET /x')) {
      expect(item.n).to.equal(1);
      break;
    }
    expect(state.cancelled).to.equal(true);
    expect(state.pulled).to.be.below(3);
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    const aborted = await failure(ndjsonItems(response([], { error: new Error('read failed') }).res, Item, 'GET /x', controller.signal));
    expect(aborted).to.equal(reason);
  });
});
