import type { SourceConfig } from '@hfit/config';
import { openMysqlConnection } from './open-mysql-connection.js';
import { openPostgresConnection } from './open-postgres-connection.js';
import type { SourceConnection } from './source-connection.js';

/** Opens one pinned connection to a configured source (no transaction started). */
export function openSourceConnection(cfg: SourceConfig, database?: string): Promise<SourceConnection> {
  return cfg.type === 'mysql' ? openMysqlConnection(cfg, database) : openPostgresConnection(cfg, database);
}
