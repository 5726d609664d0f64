import { RowFormatSchema } from '@hfit/contracts';
import { z } from 'zod';
import { VARIABLE_NAME_PATTERN } from './template-string.js';

/**
 * Zod schemas of the raw YAML shapes of template format v1. Discriminators (`from`, `hdata.type`,
 * export `type`) are dispatched by the parser so that an unknown one gets its own clear message;
 * these schemas each describe one object.
 */

const text = z.string().min(1);

/** `templateName` (and the legacy `name`): the name a template is stored under on the server. */
export const TemplateNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

const varName = z
  .string()
  .regex(VARIABLE_NAME_PATTERN, 'must be a variable name: letters, digits and "_", not starting with a digit');

/** Top level of the current form. `prepare`/`exports` are checked item by item. */
export const TemplateTopSchema = z.strictObject({
  hfitVersion: z.literal(1),
  templateName: TemplateNameSchema,
  projectName: z.string().optional(),
  packageName: text.optional(),
  prepare: z.array(z.unknown()).nullish(),
  exports: z.record(z.string(), z.unknown()),
});

/** Top level of the legacy "package" form. */
export const LegacyTemplateTopSchema = z.strictObject({
  hfitVersion: z.literal(1),
  name: TemplateNameSchema,
  exports: z.record(z.string(), z.unknown()),
});

/** Fields common to every prepare step; `hdata` is checked by its `type`. */
export const InputStepSchema = z.strictObject({ setVar: varName, from: z.literal('input'), source: text });
export const HotDataStepSchema = z.strictObject({
  setVar: varName,
  from: z.literal('hot-data'),
  hdata: z.record(z.string(), z.unknown()),
});

export const DbQueryHotDataSchema = z.strictObject({ type: z.literal('dbquery'), dbms: text, query: text });
export const VolumeHotDataSchema = z.strictObject({
  type: z.literal('volume'),
  volume: text,
  glob: text,
  sort: z
    .string()
    .regex(/^(mtime|name|size)(\|(asc|desc))?$/, 'must be mtime, name or size, optionally followed by |asc or |desc')
    .optional(),
  regex_replace: text.optional(),
});

const tableRef = text.regex(/^(?:[^.]+\.[^.]+|.*\$.*)$/, 'must be written as database.table');

/** `data` of each export type. */
export const DbCreateDataSchema = z.strictObject({ dbms: text, tablelist: z.array(text).min(1) });
export const TableCreateDataSchema = z
  .strictObject({
    dbms: text,
    tablelist: z.array(tableRef).min(1).optional(),
    table: tableRef.optional(),
    option: z.enum(['dropcreate', 'ifnotexists']).optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.table === undefined) === (d.tablelist === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [d.table === undefined ? 'tablelist' : 'table'],
        message:
          d.table === undefined
            ? 'is required: list the tables as tablelist: [db.table, …] (or give one as table: db.table)'
            : 'give either table or tablelist, not both',
      });
    }
  });
export const TableDataDataSchema = z.strictObject({
  dbms: text,
  table: tableRef,
  filter: z.string().optional(),
  format: RowFormatSchema.default('sql'),
  batchSize: z.int().min(1).max(100_000).optional(),
});
export const FileDataSchema = z.strictObject({ volume: text, path: text });
export const FilesDataSchema = z.strictObject({ volume: text, glob: text, dir: text.optional() });

/** An export before its `data` is checked. */
export const ExportEntrySchema = z.strictObject({ type: z.string(), data: z.record(z.string(), z.unknown()) });
