import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createParkedFifo } from './parked-fifo.js';

describe('createParkedFifo (the canary of the "nothing was read" tests)', () => {
  it('keeps every parked byte until someone reads, and shows what a reader took', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hfit-fifo-'));
    const bytes = randomBytes(5000);
    const fifo = createParkedFifo(path.join(dir, 'p.fifo'), bytes);
    try {
      // Opening alone (as a refused request might, O_NONBLOCK) takes nothing…
      const reader = await open(fifo.path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        // …reading does: what a server that read the file would do.
        const { bytesRead } = await reader.read(Buffer.alloc(1000), 0, 1000, null);
        expect(bytesRead).to.equal(1000);
      } finally {
        await reader.close();
      }
      const left = fifo.remaining();
      expect(left.length).to.equal(4000);
      expect(left.equals(bytes.subarray(1000))).to.equal(true);
    } finally {
      fifo.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
