import { StringDecoder } from 'node:string_decoder';
import { HfitError, type PreviewRow } from '@hfit/contracts';

/**
 * Turns a byte stream of hfit NDJSON rows (one JSON object per `\n`-terminated line; newlines
 * inside values are escaped, so every `\n` ends a row) into row objects, one at a time, holding
 * at most one input chunk. UTF-8 sequences split across chunks are joined before decoding.
 *
 * @throws HfitError `EXTRACTION_FAILED` when the stream ends inside a line (the row writer always
 *   terminates lines, so a partial one means the stream was cut).
 */
export async function* parseNdjsonRows(input: AsyncIterable<Buffer | string>): AsyncGenerator<PreviewRow, void, undefined> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      yield JSON.parse(line) as PreviewRow;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '')
    throw new HfitError('EXTRACTION_FAILED', `the row stream ended inside a row (${rest.length} characters without a line end): the read was cut short; retry`);
}
