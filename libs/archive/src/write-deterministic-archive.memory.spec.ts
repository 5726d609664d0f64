import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { samplePeakMemory } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { writeDeterministicArchive } from './write-deterministic-archive.js';

const FILE_BYTES = 50 * 1024 * 1024;
/** Allowed growth of heap + Buffer memory while archiving: well under the file size. */
const MAX_GROWTH = 16 * 1024 * 1024;

describe('writeDeterministicArchive memory @memory', () => {
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), `hfit-archive-mem-${randomUUID()}-`));
    file = join(dir, 'big.bin');
    // Incompressible, so the whole 50 MB also flows out through the (slow) consumer.
    const block = randomBytes(1024 * 1024);
    const handle = await open(file, 'w');
    try {
      for (let written = 0; written < FILE_BYTES; written += block.length) await handle.write(block);
    } finally {
      await handle.close();
    }
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['tar.gz', 'zip'] as const) {
    it(`streams a 50 MB file into ${format} with bounded memory, honouring backpressure`, async () => {
      const hash = createHash('sha256');
      let bytes = 0;
      // A consumer slower than the producer: every write completes on a later turn of the loop.
      const out = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          setImmediate(callback);
        },
      });
      const sampler = samplePeakMemory();
      const baseline = sampler.baseline;
      let peak = baseline;
      try {
        // Level 1 for both: the memory profile does not depend on the level, CPU time does.
        const result = await writeDeterministicArchive({ format, topFolder: 'pkg', entries: [{ path: 'data/big.bin', file }], out, level: 1 });
        expect(result).to.deep.equal({ bytes, sha256: hash.digest('hex') });
        expect(bytes).to.be.greaterThan(FILE_BYTES);
      } finally {
        peak = sampler.stop();
      }
      expect(peak - baseline, `grew by ${((peak - baseline) / 1048576).toFixed(1)} MiB`).to.be.lessThan(MAX_GROWTH);
    });
  }
});
