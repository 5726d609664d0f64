/** Audit files are `audit-<UTC day>.<host>.jsonl`: one per day and host. */
const FILE_NAME = /^audit-(\d{4}-\d{2}-\d{2})\.([A-Za-z0-9._-]+)\.jsonl$/;

/** `host` made safe as a file name part. */
export function fileSafeHost(host: string): string {
  return host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'host';
}

/** Name of the audit file of `host` for the UTC day of `ms`. */
export function auditFileName(ms: number, host: string): string {
  return `audit-${new Date(ms).toISOString().slice(0, 10)}.${fileSafeHost(host)}.jsonl`;
}

/** Day and host of an audit file name, or undefined for other files. */
export function parseAuditFileName(name: string): { readonly day: string; readonly host: string } | undefined {
  const m = FILE_NAME.exec(name);
  return m === null ? undefined : { day: m[1]!, host: m[2]! };
}
