import type { LoadedServerConfig } from '@hfit/config';
import type { DatabaseList } from '@hfit/contracts';
import { withSourceSession, type SourceReadOptions } from './with-source-session.js';

/**
 * The databases (MySQL/MariaDB) or schemas (PostgreSQL, inside the source's configured database)
 * that hfit may read on `source`, sorted by name: every non-system one, or only those listed in
 * the source's `databases` setting (the catalog's allow-list, as builds see it). With
 * `options.access`, only those where some table could be granted; `FORBIDDEN` (before connecting)
 * without the `browse` action or any grant inside the source.
 * @throws HfitError `SOURCE_UNKNOWN`, `SOURCE_UNREACHABLE`, `FORBIDDEN`.
 */
export async function listDatabases(config: Pick<LoadedServerConfig, 'sources'>, source: string, options: SourceReadOptions = {}): Promise<DatabaseList> {
  const { access } = options;
  access?.requireAction('browse');
  access?.requireSeeSource(source);
  const all = await withSourceSession(config, source, (session) => session.catalog.listDatabases(), options);
  return access === undefined ? all : all.filter((d) => access.canSeeSource(source, d));
}
