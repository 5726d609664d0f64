import type { SigningKeyView } from '@hfit/contracts';
import { textTable } from './text-table.js';

/** JWT signing keys as a table: the current one, then those in their grace period. */
export function signingKeyTable(keys: readonly SigningKeyView[]): string[] {
  return textTable(
    ['KID', 'ALG', 'STATUS', 'CREATED', 'VALID UNTIL'],
    keys.map((k) => [k.kid, k.alg, k.status, k.createdAt, k.validUntil ?? '']),
  );
}
