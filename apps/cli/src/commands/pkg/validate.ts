import { ApiError } from '@hfit/api-client';
import type { BuildValidation } from '@hfit/contracts';
import { isHfitError } from '@hfit/contracts';
import { parseTemplate, type TemplateModel } from '@hfit/templates';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { checkInputs, describeInputs } from '../../build/check-inputs.js';
import { parseNamedArgs } from '../../build/named-args.js';
import { readTemplateFile } from '../../build/read-template-file.js';
import { CliError } from '../../errors/cli-error.js';
import { ExitCode } from '../../exit-codes.js';

/** What `hfit pkg validate --json` prints. */
export interface ValidateResult {
  readonly file: string;
  readonly valid: true;
  readonly templateName: string;
  readonly packageName: string;
  readonly requiredInputs: number;
  /** Whether the inputs were checked (arguments were given, or --remote). */
  readonly inputsChecked: boolean;
  readonly exports: { key: string; type: string }[];
  /** The server's answer, with --remote. */
  readonly remote?: BuildValidation;
}

/** `hfit pkg validate <file> [args…]`. */
export default class PkgValidate extends BaseCommand {
  static override summary = 'Check a template: schema and variables locally, and with --remote its sources, tables and volumes on the server';
  static override description = `Locally: the YAML, the format v1 schema, every \${variable} set by an earlier prepare step, export names, and — when arguments are given — that every $N has a value. With --remote the server runs the checks of a build without queueing one: sources, databases, tables, columns of filters and volumes must exist and be readable by you (arguments are then required). Every problem is listed with its field and line; exit code 4 when there is any.`;
  static override strict = false;
  static override usage = ['<template.yaml> [args…] [--arg name=value…] [--remote] [--json]'];
  static override examples = [
    '<%= config.bin %> pkg validate hfit-data/order_incident.yaml',
    '<%= config.bin %> pkg validate hfit-data/order_incident.yaml 42 --remote',
    '<%= config.bin %> pkg validate hfit-data/order_incident.yaml --arg orderId=42 --remote --json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'template YAML file (- reads it from stdin)' }),
    args: Args.string({ description: 'template arguments: $1, $2, …' }),
  };
  static override flags = {
    arg: Flags.string({ char: 'a', multiple: true, description: 'named input: name=value (repeatable)' }),
    remote: Flags.boolean({ char: 'r', description: 'also let the server check sources, tables, columns and volumes' }),
  };

  async run(): Promise<ValidateResult> {
    const { args, argv, flags } = await this.parse(PkgValidate);
    const inputs = (argv as string[]).slice(1);
    const namedArgs = parseNamedArgs(flags.arg);
    const text = await readTemplateFile(args.file);
    let model: TemplateModel;
    try {
      model = parseTemplate(text);
    } catch (err) {
      if (!isHfitError(err)) throw err;
      const problems = err.details.length > 0 ? err.details : [{ message: err.message, ...(err.field === undefined ? {} : { field: err.field }), ...(err.line === undefined ? {} : { line: err.line }) }];
      throw new CliError(`${args.file} is not a valid template: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, {
        code: err.code,
        exitCode: ExitCode.verificationFailed,
        data: { file: args.file, problems },
      });
    }
    const inputsChecked = inputs.length > 0 || Object.keys(namedArgs).length > 0 || flags.remote;
    if (inputsChecked) {
      const problems = checkInputs(model, inputs, namedArgs);
      if (problems.length > 0) {
        throw new CliError(`the arguments do not fit ${args.file} (it needs ${describeInputs(model)})`, {
          code: 'INPUT_OUT_OF_RANGE',
          exitCode: ExitCode.verificationFailed,
          data: { file: args.file, problems },
        });
      }
    }
    const result = {
      file: args.file,
      valid: true as const,
      templateName: model.templateName,
      packageName: model.packageName,
      requiredInputs: model.requiredInputs,
      inputsChecked,
      exports: model.exports.map((e) => ({ key: e.key, type: e.type })),
    };
    this.output.line(`${args.file}: template ${model.templateName} is valid: ${model.exports.length} exports, package ${model.packageName}, needs ${describeInputs(model)}`);
    if (!flags.remote) return result;
    let remote: BuildValidation;
    try {
      remote = await (await this.client()).builds.validate({ template: text, args: inputs, namedArgs });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 422) throw err;
      const problems = err.errors.length > 0 ? err.errors : [{ message: err.detail, ...(err.problem.field === undefined ? {} : { field: err.problem.field }), ...(err.problem.line === undefined ? {} : { line: err.problem.line }) }];
      throw new CliError(`the server rejects ${args.file}: ${err.detail}`, { code: err.code, exitCode: ExitCode.verificationFailed, data: { file: args.file, problems } });
    }
    this.output.line(`server checks passed: sources, tables, columns and volumes exist for you; inputs ${remote.inputs.map((i) => JSON.stringify(i)).join(', ') || '(none)'}`);
    return { ...result, remote };
  }
}
