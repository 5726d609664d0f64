import { readFile, stat } from 'node:fs/promises';
import { usageError } from '../errors/cli-error.js';

/** True when `arg` names a template file rather than a build id: a `.yaml`/`.yml` name or an existing file. */
export async function looksLikeTemplateFile(arg: string): Promise<boolean> {
  if (/\.ya?ml$/i.test(arg)) return true;
  try {
    return (await stat(arg)).isFile();
  } catch {
    return false;
  }
}

/** All of stdin as UTF-8 text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of a template file (`-`: stdin); a missing or unreadable file is a usage error naming it. */
export async function readTemplateFile(file: string): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(`cannot read template ${file}${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : `: ${(err as Error).message}`}`, 'give the path of a template YAML, or --name for a template stored on the server');
  }
}
