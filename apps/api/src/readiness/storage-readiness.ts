import type { ObjectStore } from '@hfit/storage';
import type { ReadinessCheck } from './readiness-check.js';

/** Key probed by {@link storageReadiness}; it need not exist. */
export const READINESS_PROBE_KEY = 'hfit-readiness-probe';

/**
 * The object store answers a metadata read (`head` of a probe key that need not exist): for S3 a
 * request that proves the endpoint, bucket and credentials work; for a folder that its root can be
 * read. It writes nothing, so probing often costs nothing.
 */
export function storageReadiness(store: Pick<ObjectStore, 'head'>): ReadinessCheck {
  return async () => {
    await store.head(READINESS_PROBE_KEY);
  };
}
