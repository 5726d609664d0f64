import { openMysqlSession } from './open-mysql-session.js';
import { openPostgresSession } from './open-postgres-session.js';
import type { ImportTarget } from './parse-import-target.js';
import type { TargetSession } from './target-session.js';

/**
 * Opens an import session on the target database. MySQL/MariaDB sessions always run with
 * `FOREIGN_KEY_CHECKS = 0`; PostgreSQL sessions get `session_replication_role = replica` when
 * `disableChecks` is set and the user may set it.
 */
export function openTargetSession(target: ImportTarget, disableChecks: boolean): Promise<TargetSession> {
  return target.dialect === 'mysql' ? openMysqlSession(target) : openPostgresSession(target, disableChecks);
}
