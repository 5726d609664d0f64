import { expect } from 'chai';
import { ifNoneMatchMatches, ifRangeAllows, strongEtag } from './entity-tag.js';

const ETAG = strongEtag('ab'.repeat(32));

describe('entity tags', () => {
  it('If-None-Match compares weakly and accepts lists and *', () => {
    expect(ifNoneMatchMatches(undefined, ETAG)).to.equal(false);
    expect(ifNoneMatchMatches(ETAG, ETAG)).to.equal(true);
    expect(ifNoneMatchMatches(`W/${ETAG}`, ETAG)).to.equal(true);
    expect(ifNoneMatchMatches(`"other", ${ETAG}`, ETAG)).to.equal(true);
    expect(ifNoneMatchMatches('*', ETAG)).to.equal(true);
    expect(ifNoneMatchMatches('"other"', ETAG)).to.equal(false);
  });

  it('If-Range allows the range only for the same strong tag or the same date', () => {
    const lastModified = new Date('2026-03-01T10:00:00Z');
    expect(ifRangeAllows(undefined, ETAG, lastModified)).to.equal(true);
    expect(ifRangeAllows(ETAG, ETAG, lastModified)).to.equal(true);
    expect(ifRangeAllows(`W/${ETAG}`, ETAG, lastModified)).to.equal(false);
    expect(ifRangeAllows('"other"', ETAG, lastModified)).to.equal(false);
    expect(ifRangeAllows(lastModified.toUTCString(), ETAG, lastModified)).to.equal(true);
    expect(ifRangeAllows('Sun, 01 Mar 2026 09:59:59 GMT', ETAG, lastModified)).to.equal(false);
    expect(ifRangeAllows(lastModified.toUTCString(), ETAG, undefined)).to.equal(false);
    expect(ifRangeAllows('not a date', ETAG, lastModified)).to.equal(false);
  });
});
