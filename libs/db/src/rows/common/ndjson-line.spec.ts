import { expect } from 'chai';
import { createNdjsonLineRenderer, ndjsonValue } from './ndjson-line.js';

describe('ndjson-line', () => {
  it('renders text as JSON strings, NULL as null, bytes as {"$binary": base64}', () => {
    expect(ndjsonValue('12.50')).to.equal('"12.50"');
    expect(ndjsonValue(null)).to.equal('null');
    expect(ndjsonValue(Buffer.from([0, 255]))).to.equal('{"$binary":"AP8="}');
    expect(ndjsonValue('q"\n\u0000😀')).to.equal(JSON.stringify('q"\n\u0000😀'));
  });

  it('renders one object per line keyed by column name in column order', () => {
    const render = createNdjsonLineRenderer(['id', 'we"ird', 'b']);
    const line = render(['1', 'x', null]);
    expect(line).to.equal('{"id":"1","we\\"ird":"x","b":null}\n');
    expect(JSON.parse(line)).to.deep.equal({ id: '1', 'we"ird': 'x', b: null });
    expect(createNdjsonLineRenderer([])([])).to.equal('{}\n');
  });
});
