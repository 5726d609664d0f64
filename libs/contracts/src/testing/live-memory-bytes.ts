import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Live JS heap plus Buffer memory (Buffers live outside the heap, in `arrayBuffers`), measured
 * after a full garbage collection, so memory tests see what an operation holds rather than garbage
 * not yet collected. `--expose-gc` set at run time plus a fresh context yields `gc()` without a
 * command-line flag.
 */
export function liveMemoryBytes(): number {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
