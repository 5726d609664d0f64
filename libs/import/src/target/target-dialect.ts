/** The database engine an import writes to: MySQL/MariaDB or PostgreSQL (as manifest sources name them). */
export type TargetDialect = 'mysql' | 'postgres';

/** How messages name a dialect. */
export function dialectLabel(dialect: TargetDialect): string {
  return dialect === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL';
}
