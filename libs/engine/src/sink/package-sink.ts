import type { Writable } from 'node:stream';

/**
 * Where a build writes its package files. The engine streams each file once, in order, and
 * hashes it on the way; the sink only stores bytes. Implementations: a local directory (demo, CLI
 * tests), object-storage staging (the worker).
 */
export interface PackageSink {
  /** Opens a new file at `path` (relative, `/`-separated, already sanitised) for writing. */
  create(path: string): Promise<Writable>;
  /** Called once every file (and `METADATA/manifest.json`) is written: make the package visible. */
  commit(): Promise<void>;
  /** Called on failure: remove whatever was written; the previous package, if any, stays intact. */
  abort(): Promise<void>;
}
