import { ArchiveFormatSchema, BuildConsistencySchema, RowFormatSchema } from '@hfit/contracts';
import { Flags } from '@oclif/core';

/** Flags shared by the commands that submit builds (`pkg build`, `pkg download <template>`). */
export const buildFlags = {
  name: Flags.string({ char: 'n', description: 'build the template stored on the server under this name (then every argument is an input)' }),
  arg: Flags.string({ char: 'a', multiple: true, description: 'named input: name=value sets the `from: input` variable of that name (repeatable)' }),
  format: Flags.option({ options: ArchiveFormatSchema.options, default: 'tar.gz', description: 'archive format' })(),
  'row-format': Flags.option({ options: RowFormatSchema.options, description: 'row format of every table-data export (copy: PostgreSQL sources only)' })(),
  consistency: Flags.option({ options: BuildConsistencySchema.options, description: 'source: one snapshot per source (default); export: one job and snapshot per export' })(),
  interval: Flags.integer({ min: 100, default: 1000, hidden: true, description: 'ms between progress polls' }),
  timeout: Flags.integer({ min: 1, description: 'stop waiting after this many seconds (the build keeps running)' }),
};
