import type { PatchRequest } from '@hfit/contracts';
import { parse } from 'yaml';
import { usageError } from '../errors/cli-error.js';

/**
 * `key=value` arguments as a merge patch of a template's top-level keys. Each value is read as
 * YAML, so `packageName=order_$1` is a string, `prepare=null` removes the key, and
 * `exports={a.sql: {type: dbcreate, data: {dbms: s, tablelist: [d]}}}` is a map.
 */
export function parsePatchArgs(pairs: readonly string[]): PatchRequest {
  const patch: PatchRequest = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw usageError(`"${pair}" is not key=value`, 'e.g. packageName=order_$1, or key=null to remove a key');
    const key = pair.slice(0, i);
    let value: unknown;
    try {
      value = parse(pair.slice(i + 1));
    } catch (err) {
      throw usageError(`the value of ${key} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    patch[key] = (value === undefined ? null : value) as PatchRequest[string];
  }
  return patch;
}

/** A patch file (YAML or JSON) holding a map of top-level keys. */
export function parsePatchFile(text: string, file: string): PatchRequest {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw usageError(`${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usageError(`${file} must hold a map of top-level template keys`);
  return value as PatchRequest;
}
