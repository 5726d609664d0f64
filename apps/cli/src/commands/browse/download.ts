import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { saveStream } from '../../download/save-stream.js';
import { parseVolumePath } from '../../browse/parse-volume-path.js';
import { usageError } from '../../errors/cli-error.js';
import { formatBytes } from '../../render/format-units.js';

/** What `hfit download --json` prints. */
export interface DownloadResult {
  readonly volume: string;
  readonly path: string;
  /** Where it was saved; `-` for stdout. */
  readonly file: string;
  readonly bytes: number;
}

/** `hfit browse download <volume>:<path>` (`hfit download`). */
export default class BrowseDownload extends BaseCommand {
  static override summary = 'Download one file of a volume';
  static override description = 'Saves the file under its own name in the current directory, or where -o says (`-o -` writes it to stdout).';
  static override aliases = ['download'];
  static override examples = ['<%= config.bin %> download invoices:2024/invoice_42.pdf', '<%= config.bin %> download "invoices:scans/order 42.png" -o order.png', '<%= config.bin %> download invoices:notes.txt -o - | less'];
  static override args = {
    file: Args.string({ required: true, description: '<volume>:<path>, the path relative to the volume root' }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'file to write (default: the file name, in the current directory); - for stdout' }),
    force: Flags.boolean({ description: 'replace an existing file' }),
  };

  async run(): Promise<DownloadResult> {
    const { args, flags } = await this.parse(BrowseDownload);
    const { volume, path: filePath } = parseVolumePath(args.file);
    if (flags.output === '-' && this.output.json) throw usageError('-o - writes the file to stdout, where --json writes its result: use one of them');
    const download = await (await this.client()).browse.downloadFile(volume, filePath);
    if (flags.output === '-') {
      let bytes = 0;
      const source = Readable.fromWeb(download.body as WebReadableStream<Uint8Array>);
      source.on('data', (chunk: Buffer) => (bytes += chunk.length));
      await pipeline(source, this.output.stdout, { end: false });
      return { volume, path: filePath, file: '-', bytes };
    }
    const file = path.resolve(flags.output ?? download.fileName ?? path.posix.basename(filePath));
    const bytes = await saveStream(download.body, file, { overwrite: flags.force, expectedBytes: download.contentLength });
    this.output.line(`saved ${volume}:${filePath} to ${file} (${formatBytes(bytes)})`);
    return { volume, path: filePath, file, bytes };
  }
}
