import { liveMemoryBytes } from './live-memory-bytes.js';

/** A running sampler of live memory; see {@link samplePeakMemory}. */
export interface PeakMemorySampler {
  /** Live bytes when sampling started. */
  readonly baseline: number;
  /** Stops sampling, takes one last sample, and returns the highest live bytes seen. */
  stop(): number;
}

/**
 * Samples {@link liveMemoryBytes} while a test streams, keeping the peak. Each sample forces a full
 * GC, whose cost grows with everything loaded in the process (a full `npm test` loads every
 * library): the pause before the next sample is at least `minIntervalMs` and at least three times
 * the last sample's cost, so sampling never takes more than a quarter of the event loop and a
 * slow consumer in the test still gets its turns.
 */
export function samplePeakMemory(minIntervalMs = 50): PeakMemorySampler {
  const baseline = liveMemoryBytes();
  let peak = baseline;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const t0 = performance.now();
    peak = Math.max(peak, liveMemoryBytes());
    timer = setTimeout(sample, Math.max(minIntervalMs, 3 * (performance.now() - t0)));
  };
  timer = setTimeout(sample, minIntervalMs);
  return {
    baseline,
    stop() {
      clearTimeout(timer);
      peak = Math.max(peak, liveMemoryBytes());
      return peak;
    },
  };
}
