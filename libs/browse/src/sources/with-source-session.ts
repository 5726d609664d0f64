import type { Access } from '@hfit/access';
import { findSource, type LoadedServerConfig, type SourceConfig } from '@hfit/config';
import { openExtractionSession, type ExtractionSession } from '@hfit/db';

/** Opens the session a browse call reads through; {@link openExtractionSession} unless injected. */
export type OpenSession = (source: SourceConfig) => Promise<ExtractionSession>;

/** Options of the browse calls that read a source. */
export interface SourceReadOptions {
  /** Seam for tests and instrumentation; default {@link openExtractionSession}. */
  readonly openSession?: OpenSession | undefined;
  /**
   * The caller's access. When given, the call is refused (`FORBIDDEN`) before any connection is
   * opened unless the caller has the action and a grant that covers what is asked, and lists keep
   * to what the grant covers. The API always passes it; without it nothing is filtered.
   */
  readonly access?: Access | undefined;
}

/**
 * Runs `fn` in a fresh read-only snapshot session on the configured source `source` (statement
 * timeout, identifier allow-list in `session.catalog`) and closes it afterwards, whatever happens.
 * @throws HfitError `SOURCE_UNKNOWN` listing the configured sources; `SOURCE_UNREACHABLE`.
 */
export async function withSourceSession<T>(
  config: Pick<LoadedServerConfig, 'sources'>,
  source: string,
  fn: (session: ExtractionSession) => Promise<T>,
  options: SourceReadOptions = {},
): Promise<T> {
  const cfg = findSource(config, source);
  const session = await (options.openSession ?? openExtractionSession)(cfg);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
