import type { UserView } from '@hfit/contracts';
import { stringify } from 'yaml';
import { textTable } from './text-table.js';

/**
 * A user as `hfit admin users show` prints it: name, origin, roles, then the grants as YAML (the
 * form `--grant-file` reads, so they can be copied, edited and set again) and the keys as a table.
 */
export function userViewLines(user: UserView): string[] {
  const created = user.createdAt === undefined ? '' : ` (created ${user.createdAt}${user.createdBy === undefined ? '' : ` by ${user.createdBy}`})`;
  const lines = [
    `user    ${user.name}`,
    `origin  ${user.origin === 'config' ? 'config (an admin of the server config: change it there)' : 'store'}${created}`,
    `roles   ${user.roles.length === 0 ? '(none)' : user.roles.join(', ')}`,
  ];
  if (user.grants.length === 0) lines.push('grants  (none)');
  else lines.push('grants:', ...stringify(user.grants).trimEnd().split('\n').map((l) => `  ${l}`));
  if (user.keys.length === 0) lines.push('keys    (none)');
  else {
    lines.push('keys:');
    const table = textTable(
      ['FINGERPRINT', 'TYPE', 'BITS', 'ADDED', 'COMMENT'],
      user.keys.map((k) => [k.fingerprint, k.type, String(k.bits), k.addedAt, k.comment ?? '']),
      { right: [2] },
    );
    lines.push(...table.map((l) => `  ${l}`));
  }
  return lines;
}
