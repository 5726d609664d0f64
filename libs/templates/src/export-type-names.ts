import { ExportTypeSchema } from '@hfit/contracts';
import type { ExportType } from '@hfit/contracts';

/** Canonical export type names. */
export const EXPORT_TYPES: readonly ExportType[] = ExportTypeSchema.options;

/** Older spellings still accepted, mapped to their canonical type. */
export const EXPORT_TYPE_ALIASES: Readonly<Record<string, ExportType>> = { 'create-table': 'table-create' };

/** The canonical type for a name as written (alias or canonical), or `undefined` if unknown. */
export function normaliseExportType(written: string): ExportType | undefined {
  if ((EXPORT_TYPES as readonly string[]).includes(written)) return written as ExportType;
  return Object.hasOwn(EXPORT_TYPE_ALIASES, written) ? EXPORT_TYPE_ALIASES[written] : undefined;
}
