import { randomBytes } from 'node:crypto';

/** A build id: 9 base-36 digits of the creation time in ms, then 16 random hex digits. */
const BUILD_ID = /^[0-9a-z]{9}[0-9a-f]{16}$/;

/**
 * A new build id. Ids sort by creation time (as strings), which the catalogue uses for paging, and
 * are safe in object keys, Redis keys, URLs and BullMQ job ids (no `:`).
 */
export function newBuildId(now: Date = new Date()): string {
  return now.getTime().toString(36).padStart(9, '0') + randomBytes(8).toString('hex');
}

/** True when `id` has the shape of a build id (checked before it goes into any key). */
export function isBuildId(id: string): boolean {
  return BUILD_ID.test(id);
}
