import type { BuildAccepted } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { buildFlags } from '../../build/build-flags.js';
import { buildRequestOf } from '../../build/build-request.js';
import { buildResultOf, type BuildResult } from '../../build/build-result.js';
import { followBuild, requireSucceeded } from '../../build/follow-build.js';
import { submitBuild } from '../../build/submit-build.js';
import { formatBytes } from '../../render/format-units.js';

/** What `hfit pkg-build --no-wait --json` prints. */
export interface QueuedBuildResult {
  readonly id: string;
  readonly state: string;
  readonly links: BuildAccepted['links'];
}

/** `hfit pkg build` (`hfit pkg-build`): submit a build and follow it to the end. */
export default class PkgBuild extends BaseCommand {
  static override summary = 'Build a package on the server and follow its progress';
  static override description = `Sends the template (a YAML file, or --name of one stored on the server) with its arguments ($1, $2, … in order, or --arg name=value), then shows the progress of every export (rows, bytes) until the build ends. Exit code 0 with the build id and the archive's sha256 when it succeeded; 3 with the server's error code when it failed or was cancelled. --no-wait prints the build id at once. Download the package with \`hfit pkg-download <id>\` (or build and download in one step with \`hfit pkg-download <template.yaml> [args…]\`).`;
  static override aliases = ['pkg-build'];
  static override strict = false;
  static override usage = ['<template.yaml> [args…] [--arg name=value…] [--format tar.gz|zip] [--no-wait] [--json]', '--name <stored template> [args…] [flags]'];
  static override examples = [
    { description: 'Build the package of order 42 and wait for it', command: '<%= config.bin %> pkg-build hfit-data/order_incident.yaml 42' },
    { description: 'Build a template stored on the server, as a zip, with a named input', command: '<%= config.bin %> pkg build --name order_incident --arg orderId=42 --format zip' },
    { description: 'Queue it and return at once (CI); the result as JSON', command: '<%= config.bin %> pkg-build hfit-data/nightly.yaml --no-wait --json' },
  ];
  static override args = {
    template: Args.string({ description: 'template YAML file, - for stdin (omit with --name)' }),
    args: Args.string({ description: 'template arguments: $1, $2, …' }),
  };
  static override flags = {
    ...buildFlags,
    wait: Flags.boolean({ default: true, allowNo: true, description: 'follow the build until it ends (--no-wait: print its id and return)' }),
  };

  async run(): Promise<BuildResult | QueuedBuildResult> {
    const { argv, flags } = await this.parse(PkgBuild);
    const spec = await buildRequestOf(argv as string[], flags);
    const client = await this.client();
    const accepted = await submitBuild(client, spec.request);
    if (!flags.wait) {
      this.output.line(`build ${accepted.id} ${accepted.state} (${spec.label})`);
      this.output.line(`follow it: hfit pkg status ${accepted.id}   download it when done: hfit pkg-download ${accepted.id}`);
      return { id: accepted.id, state: accepted.state, links: accepted.links };
    }
    this.output.line(`build ${accepted.id} submitted (${spec.label})`);
    const view = await followBuild(client, accepted.id, { output: this.output, intervalMs: flags.interval, timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000 });
    requireSucceeded(view);
    const a = view.artifact;
    this.output.line(`${this.output.style.green('succeeded')}  build ${view.id}  ${a.name}  ${formatBytes(a.size)}  sha256 ${a.sha256}`);
    return buildResultOf(view);
  }
}
