import { parseDocument } from 'yaml';

/**
 * The name a template text would be stored under (`templateName`, or `name` in the legacy form),
 * read without validating the rest: the server validates and reports every problem.
 */
export function templateNameOf(text: string): string | undefined {
  try {
    const value: unknown = parseDocument(text).toJS();
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    const name = record['templateName'] ?? record['name'];
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
