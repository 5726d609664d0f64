import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs sections of one key one after another, in call order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const section = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([mutex.run('k', section('a', 20)), mutex.run('k', section('b', 1)), mutex.run('k', section('c', 1))]);
    expect(results).to.deep.equal(['a', 'b', 'c']);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(mutex.size).to.equal(0);
  });

  it('runs sections of different keys at the same time', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      ['x', 'y'].map((key) =>
        mutex.run(key, async () => {
          log.push(`start ${key}`);
          await sleep(10);
          log.push(`end ${key}`);
        }),
      ),
    );
    expect(log.slice(0, 2)).to.deep.equal(['start x', 'start y']);
  });

  it('goes on after a section fails, and passes the failure to its caller only', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('k', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => 'ok');
    const outcome = await failed.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    expect(outcome).to.equal('boom');
    expect(await next).to.equal('ok');
    expect(mutex.size).to.equal(0);
  });
});
