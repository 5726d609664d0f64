import { TEST_SERVERS, type ScratchDatabase } from '@hfit/db/testing';

/** The import target URL of a scratch database on the local test servers. */
export function targetUrl(db: Pick<ScratchDatabase, 'type' | 'name'>): string {
  const s = TEST_SERVERS[db.type];
  return `${db.type === 'mysql' ? 'mysql' : 'postgres'}://${s.user}@${s.host}:${s.port}/${encodeURIComponent(db.name)}`;
}
