import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { mapLimit } from './map-limit.js';

describe('mapLimit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimit([30, 5, 20, 1, 10, 2], 2, async (ms) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(ms);
      running -= 1;
      return ms * 2;
    });
    expect(result).to.deep.equal([60, 10, 40, 2, 20, 4]);
    expect(peak).to.equal(2);
  });

  it('rejects with the first failure once the started calls settled, and starts no more', async () => {
    const started: number[] = [];
    let settled = 0;
    const outcome = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await sleep(n === 2 ? 1 : 10);
      settled += 1;
      if (n === 2) throw new Error('two failed');
      return n;
    }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    expect(outcome).to.equal('two failed');
    expect(started).to.deep.equal([1, 2]);
    expect(settled).to.equal(2);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async () => 1)).to.deep.equal([]);
  });
});
