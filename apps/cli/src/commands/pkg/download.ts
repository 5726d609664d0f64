import type { BuildView } from '@hfit/contracts';
import { isFinalBuildState } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { buildFlags } from '../../build/build-flags.js';
import { buildRequestOf } from '../../build/build-request.js';
import { followBuild, requireSucceeded } from '../../build/follow-build.js';
import { looksLikeTemplateFile } from '../../build/read-template-file.js';
import { submitBuild } from '../../build/submit-build.js';
import { fetchPackage, type FetchedPackage } from '../../download/fetch-package.js';
import { usageError } from '../../errors/cli-error.js';
import { formatBytes } from '../../render/format-units.js';

/** `hfit pkg download` (`hfit pkg-download`). */
export default class PkgDownload extends BaseCommand {
  static override summary = 'Download a package, verify it and unpack it into hfit-data/<packageName>/';
  static override description = `Takes a build id, --latest <package or template name>, or — as the original tool did — a template file with its arguments (then it builds first, showing the progress, and downloads the result). The download shows a progress bar, resumes an interrupted attempt (HTTP Range) when run again, and verifies the archive's sha256 against the build record: a mismatch deletes the download and exits with code 4. The archive is unpacked into <dir>/<packageName>/, refusing any entry that would land outside it (.., absolute paths, links), and every file is checked against the package manifest.`;
  static override aliases = ['pkg-download'];
  static override strict = false;
  static override usage = ['<buildId> [--dir hfit-data] [--no-unpack] [--keep-archive] [--json]', '--latest <package> [--dir hfit-data] [--no-unpack]', '<template.yaml> [args…] [--arg name=value…] [--format tar.gz|zip] [--dir hfit-data]'];
  static override examples = [
    { description: 'Download and unpack a finished build', command: '<%= config.bin %> pkg-download 0m3x9k2ab5f0c1d2e3f4a5b6c7' },
    { description: 'The newest succeeded build of a package (CI)', command: '<%= config.bin %> pkg-download --latest regression_snapshot --dir test/fixtures' },
    { description: 'Build order 42 from a template, then download it', command: '<%= config.bin %> pkg-download hfit-data/order_incident.yaml 42' },
    { description: 'Keep the archive only', command: '<%= config.bin %> pkg-download 0m3x9k2ab5f0c1d2e3f4a5b6c7 --no-unpack' },
  ];
  static override args = {
    build: Args.string({ description: 'build id, or a template YAML file (then build it first)' }),
    args: Args.string({ description: 'template arguments when building: $1, $2, …' }),
  };
  static override flags = {
    ...buildFlags,
    latest: Flags.string({ char: 'l', description: 'the newest succeeded build of this package (or template)', exclusive: ['name'] }),
    dir: Flags.string({ char: 'd', default: 'hfit-data', description: 'folder the package folder is unpacked into' }),
    unpack: Flags.boolean({ default: true, allowNo: true, description: 'unpack into <dir>/<packageName>/ (--no-unpack: keep the archive as <dir>/<archive name>)' }),
    'keep-archive': Flags.boolean({ description: 'keep the archive in <dir>/.downloads/ after unpacking' }),
  };

  async run(): Promise<FetchedPackage> {
    const { argv, flags } = await this.parse(PkgDownload);
    const positionals = argv as string[];
    const client = await this.client();
    let build: BuildView;
    if (flags.latest !== undefined) {
      if (positionals.length > 0) throw usageError('--latest takes no build id or template', 'e.g. hfit pkg-download --latest order_42');
      build = await client.builds.latest(flags.latest);
    } else if (flags.name !== undefined || (positionals[0] !== undefined && (await looksLikeTemplateFile(positionals[0])))) {
      const spec = await buildRequestOf(positionals, flags);
      const accepted = await submitBuild(client, spec.request);
      this.output.line(`build ${accepted.id} submitted (${spec.label})`);
      build = await followBuild(client, accepted.id, { output: this.output, intervalMs: flags.interval, timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000 });
    } else {
      const [id, ...extra] = positionals;
      if (id === undefined) throw usageError('give a build id, --latest <package>, or a template file and its arguments', 'e.g. hfit pkg-download 0m3x9k2ab5f0c1d2e3f4a5b6c7');
      if (extra.length > 0) throw usageError(`"${id}" is not a template file, so it is read as a build id, which takes no arguments`, 'give the path of an existing .yaml template to build it first');
      build = await client.builds.get(id);
      if (!isFinalBuildState(build.state)) build = await followBuild(client, id, { output: this.output, intervalMs: flags.interval, timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000 });
    }
    requireSucceeded(build);
    const fetched = await fetchPackage(client, build, { dir: flags.dir, unpack: flags.unpack, keepArchive: flags['keep-archive'], output: this.output });
    const resumed = fetched.resumedFrom > 0 ? `, resumed after ${formatBytes(fetched.resumedFrom)}` : '';
    this.output.line(`downloaded ${fetched.artifact.name} (${formatBytes(fetched.bytes)}${resumed}), sha256 ${fetched.sha256} verified`);
    if (fetched.dir !== undefined) this.output.line(`unpacked ${fetched.files?.length ?? 0} files into ${fetched.dir}`);
    else this.output.line(`saved ${fetched.archive}`);
    return fetched;
  }
}
