import { Writable } from 'node:stream';
import { expect } from 'chai';
import { waitForDrain } from './wait-for-drain.js';

describe('waitForDrain', () => {
  it('rejects a drain wait when the destination fails, closes, or the signal aborts', async () => {
    const stuck = () => new Writable({ highWaterMark: 1, write: () => undefined });
    const a = stuck();
    a.write('x');
    const failed = waitForDrain(a);
    a.destroy(new Error('boom'));
    await failed.then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.equal('boom'));

    const b = stuck();
    b.write('x');
    const closed = waitForDrain(b);
    b.destroy();
    await closed.then(() => expect.fail('should reject'), (e: { code: string }) => expect(e.code).to.equal('EXTRACTION_FAILED'));

    const c = stuck();
    c.write('x');
    const controller = new AbortController();
    const aborted = waitForDrain(c, controller.signal);
    controller.abort(new Error('stop'));
    await aborted.then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.equal('stop'));
  });

  it('resolves at once when a stream.Writable needs no drain', async () => {
    await waitForDrain(new Writable({ write: (_c, _e, cb) => cb() }));
  });
});
