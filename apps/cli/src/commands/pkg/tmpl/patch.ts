import { readFile } from 'node:fs/promises';
import type { PatchRequest, PatchResult } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { usageError } from '../../../errors/cli-error.js';
import { parsePatchArgs, parsePatchFile } from '../../../templates/parse-patch.js';

/** `hfit pkg tmpl patch <name> key=value…` (`hfit pkg-tmpl patch`). */
export default class TmplPatch extends BaseCommand {
  static override summary = 'Change top-level keys of a stored template and show the diff';
  static override description = `Each key=value replaces the whole value of that top-level key (values are YAML: strings, numbers, [lists], {maps}); key=null removes the key. --file takes the patch as a YAML or JSON map instead. The server validates the result and answers the diff, one line per changed key.`;
  static override aliases = ['pkg-tmpl:patch'];
  static override strict = false;
  static override usage = ['<name> [key=value…] [--file patch.yaml] [--json]'];
  static override examples = [
    '<%= config.bin %> pkg-tmpl patch order_incident packageName=incident_$1',
    '<%= config.bin %> pkg-tmpl patch order_incident projectName=null',
    '<%= config.bin %> pkg-tmpl patch order_incident --file exports.yaml',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'template name' }),
    changes: Args.string({ description: 'key=value pairs (value as YAML; null removes the key)' }),
  };
  static override flags = {
    file: Flags.string({ char: 'f', description: 'a YAML or JSON map of the keys to set' }),
  };

  async run(): Promise<PatchResult> {
    const { args, argv, flags } = await this.parse(TmplPatch);
    const pairs = (argv as string[]).slice(1);
    const patch: PatchRequest = { ...(flags.file === undefined ? {} : parsePatchFile(await readFile(flags.file, 'utf8'), flags.file)), ...parsePatchArgs(pairs) };
    if (Object.keys(patch).length === 0) throw usageError('nothing to change: give key=value pairs or --file');
    const result = await (await this.client()).templates.patch(args.name, patch);
    const show = (v: unknown): string => JSON.stringify(v);
    if (result.diff.length === 0) this.output.line(`template ${result.name} unchanged`);
    for (const d of result.diff) {
      if (d.op === 'added') this.output.line(`+ ${d.key}: ${show(d.after)}`);
      else if (d.op === 'removed') this.output.line(`- ${d.key}: ${show(d.before)}`);
      else this.output.line(`~ ${d.key}: ${show(d.before)} -> ${show(d.after)}`);
    }
    return result;
  }
}
