import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Live JS heap plus Buffer memory (Buffers live outside the heap, in `arrayBuffers`), measured
 * after a full garbage collection, so memory tests see what an operation holds rather than garbage
 * not yet collected. `--expose-gc` set at run time plus a fresh context yields `gc()` without a
 * command-line flag. Array buffers are swept on the GC thread: on a busy machine the sweep lags
 * and freed Buffers still count (a streaming import "held" 25-45 MiB under a CPU hog, 1-3 MiB
 * without one), so sweeping is made part of `gc()`.
 */
export function liveMemoryBytes(): number {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    setFlagsFromString('--no-concurrent-array-buffer-sweeping');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
