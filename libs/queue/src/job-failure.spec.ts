import { HfitError } from '@hfit/contracts';
import { DelayedError, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { expect } from 'chai';
import { isTransientError } from './is-transient-error.js';
import { JOB_FAILURE_PREFIX, readJobFailure, toJobFailure } from './job-failure.js';

describe('isTransientError', () => {
  const transient: [string, unknown][] = [
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['ECONNREFUSED inside AggregateError', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed')],
    ['timeout in a cause', new Error('query failed', { cause: Object.assign(new Error('t'), { name: 'TimeoutError' }) })],
    ['PostgreSQL connection exception', Object.assign(new Error('c'), { code: '08006' })],
    ['MySQL deadlock', Object.assign(new Error('d'), { code: 'ER_LOCK_DEADLOCK' })],
    ['S3 503', Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 503 } })],
    ['SOURCE_UNREACHABLE', new HfitError('SOURCE_UNREACHABLE', 'cannot reach shop')],
    ['non-permanent HfitError', new HfitError('EXTRACTION_FAILED', 'x', { permanent: false })],
    ['an unclassified error', new Error('something odd')],
  ];
  const permanent: [string, unknown][] = [
    ['permanent HfitError', new HfitError('TABLE_UNKNOWN', 'no table')],
    ['HfitError wrapping a reset', new HfitError('FILTER_REJECTED', 'bad', { cause: Object.assign(new Error('r'), { code: 'ECONNRESET' }) })],
    ['TypeError', new TypeError('x is undefined')],
    ['UnrecoverableError', new UnrecoverableError('no')],
  ];
  for (const [what, e] of transient) it(`retries ${what}`, () => expect(isTransientError(e)).to.equal(true));
  for (const [what, e] of permanent) it(`does not retry ${what}`, () => expect(isTransientError(e)).to.equal(false));
});

describe('toJobFailure / readJobFailure', () => {
  it('turns a permanent HfitError into an UnrecoverableError that keeps its code, message and location', () => {
    const cause = new HfitError('TEMPLATE_INVALID', 'Template has 1 problem', { details: [{ message: 'unknown key', field: 'exports.x', line: 3 }] });
    const e = toJobFailure(cause);
    expect(e).to.be.instanceOf(UnrecoverableError);
    expect(e.message.startsWith(JOB_FAILURE_PREFIX)).to.equal(true);
    expect(e.cause).to.equal(cause);
    expect(readJobFailure(e.message)).to.deep.equal({
      code: 'TEMPLATE_INVALID',
      message: 'Template has 1 problem',
      details: [{ message: 'unknown key', field: 'exports.x', line: 3 }],
    });
  });

  it('keeps transient errors retryable, with a readable reason if they run out of attempts', () => {
    const e = toJobFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    expect(e).not.to.be.instanceOf(UnrecoverableError);
    expect(e.name).to.equal('Error');
    expect(readJobFailure(e.message)).to.deep.equal({ code: 'JOB_FAILED', message: 'Error (ECONNRESET): read ECONNRESET' });
    expect(readJobFailure(toJobFailure(new HfitError('SOURCE_UNREACHABLE', 'cannot reach shop')).message)).to.deep.equal({
      code: 'SOURCE_UNREACHABLE',
      message: 'cannot reach shop',
    });
  });

  it('passes BullMQ control errors and already converted errors through', () => {
    const delayed = new DelayedError();
    const waiting = new WaitingChildrenError();
    expect(toJobFailure(delayed)).to.equal(delayed);
    expect(toJobFailure(waiting)).to.equal(waiting);
    const once = toJobFailure(new HfitError('TABLE_UNKNOWN', 'x'));
    expect(toJobFailure(once)).to.equal(once);
  });

  it('reads BullMQ reasons and foreign text as JOB_FAILED', () => {
    expect(readJobFailure('job stalled more than allowable limit')).to.deep.equal({ code: 'JOB_FAILED', message: 'job stalled more than allowable limit' });
    expect(readJobFailure(`${JOB_FAILURE_PREFIX}{"code":"NOPE","message":"x"}`).code).to.equal('JOB_FAILED');
    expect(readJobFailure(undefined)).to.deep.equal({ code: 'JOB_FAILED', message: 'The job failed without a reason' });
  });
});
