import { findSource, type SourceConfig } from '@hfit/config';
import type { Manifest } from '@hfit/contracts';
import { openExtractionSession, type ExtractionSession } from '@hfit/db';

/**
 * One extraction session per source for the length of a build, opened on first use: every read
 * of a build from one source goes through one snapshot.
 */
export class SourceSessions {
  private readonly open = new Map<string, Promise<ExtractionSession>>();

  constructor(readonly sources: readonly SourceConfig[]) {}

  /** The build's session on source `name` (SOURCE_UNKNOWN, listing the configured ones, if none). */
  get(name: string): Promise<ExtractionSession> {
    const cfg = findSource(this, name);
    let p = this.open.get(name);
    if (!p) {
      p = openExtractionSession(cfg);
      this.open.set(name, p);
      p.catch(() => this.open.delete(name));
    }
    return p;
  }

  /** Sources read so far, for the manifest (sorted by name). */
  async describe(): Promise<Manifest['sources']> {
    const out: Manifest['sources'][number][] = [];
    for (const [name, p] of [...this.open].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = await p.catch(() => undefined);
      if (s) out.push({ name, type: s.source.type, serverVersion: s.connection.serverVersion, consistency: s.consistency });
    }
    return out;
  }

  /** Closes every session; reports the first failure after trying them all. */
  async closeAll(): Promise<void> {
    // A session that never opened has nothing to close; its error was already reported to the build.
    const results = await Promise.allSettled([...this.open.values()].map((p) => p.then((s) => s.close(), () => undefined)));
    this.open.clear();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
