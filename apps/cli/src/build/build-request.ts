import type { ArchiveFormat, BuildConsistency, CreateBuildRequestInput, RowFormat } from '@hfit/contracts';
import { usageError } from '../errors/cli-error.js';
import { parseNamedArgs } from './named-args.js';
import { readTemplateFile } from './read-template-file.js';

/** The build flags a request is made of (see `buildFlags`). */
export interface BuildRequestFlags {
  readonly name?: string | undefined;
  readonly arg?: readonly string[] | undefined;
  readonly format: ArchiveFormat;
  readonly 'row-format'?: RowFormat | undefined;
  readonly consistency?: BuildConsistency | undefined;
}

/** A build request and what it builds, for messages. */
export interface BuildRequestSpec {
  readonly request: CreateBuildRequestInput;
  /** `hfit-data/x.yaml` or `stored template x`. */
  readonly label: string;
}

/**
 * The `POST /v1/builds` request of a command line: `<template.yaml> [args…]`, or `--name <stored>
 * [args…]`, with `--arg name=value`, `--format`, `--row-format` and `--consistency`.
 */
export async function buildRequestOf(positionals: readonly string[], flags: BuildRequestFlags): Promise<BuildRequestSpec> {
  const namedArgs = parseNamedArgs(flags.arg);
  const options = {
    format: flags.format,
    ...(flags['row-format'] === undefined ? {} : { rowFormat: flags['row-format'] }),
    ...(flags.consistency === undefined ? {} : { consistency: flags.consistency }),
  };
  if (flags.name !== undefined) {
    return { request: { templateName: flags.name, args: [...positionals], namedArgs, options }, label: `stored template ${flags.name}` };
  }
  const [file, ...args] = positionals;
  if (file === undefined) throw usageError('give a template file, or --name <stored template>', 'e.g. hfit pkg-build hfit-data/order_incident.yaml 42');
  return { request: { template: await readTemplateFile(file), args, namedArgs, options }, label: file };
}
