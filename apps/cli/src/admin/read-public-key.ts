import { open } from 'node:fs/promises';
import sshpk from 'sshpk';
import { usageError } from '../errors/cli-error.js';

/** A public key to register, as text, with what the CLI could tell about it. */
export interface PublicKeyText {
  /** The key as sent: one OpenSSH `authorized_keys` line or a PEM `PUBLIC KEY` block. */
  readonly text: string;
  /** The file it came from, or `argument` for key text given directly. */
  readonly source: string;
  /** `SHA256:…`, computed locally (the server computes its own). */
  readonly fingerprint: string;
}

const MAX_BYTES = 64 * 1024;
const KEY_TEXT = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-\S+|sk-\S+)\s+AAAA|^-----BEGIN /;

async function readSmallFile(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(`cannot read public key file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}`, 'give the .pub file, or the key text itself ("ssh-ed25519 AAAA… comment")');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_BYTES) throw usageError(`${file} is not a public key file`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * A public key given as a file (`~/.ssh/id_ed25519.pub`, a PEM `PUBLIC KEY`) or as the key text
 * itself. A private key is refused before anything is sent, so it never leaves the machine; a
 * file holding several keys, or something that is not a public key, is a usage error.
 */
export async function readPublicKey(value: string): Promise<PublicKeyText> {
  const inline = KEY_TEXT.test(value.trim());
  const source = inline ? 'argument' : value;
  const raw = inline ? value : await readSmallFile(value);
  if (/PRIVATE KEY-----|^PuTTY-User-Key-File-/m.test(raw)) {
    throw usageError(`${source === 'argument' ? 'the key given' : source} is a private key: give the public key (the .pub file)`, 'the private key never leaves your machine');
  }
  const pem = /-----BEGIN [A-Z0-9 ]*PUBLIC KEY-----[\s\S]*?-----END [A-Z0-9 ]*PUBLIC KEY-----/.exec(raw)?.[0];
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (pem === undefined && lines.length > 1) throw usageError(`${source} holds ${lines.length} lines: give one public key at a time`);
  const text = pem ?? lines[0] ?? '';
  let fingerprint: string;
  try {
    fingerprint = sshpk.parseKey(text, pem === undefined ? 'ssh' : 'pem').fingerprint('sha256').toString();
  } catch {
    throw usageError(`${source} is not a public key`, 'give an OpenSSH line ("ssh-ed25519 AAAA… comment", as in a .pub file) or a PEM PUBLIC KEY block');
  }
  return { text, source, fingerprint };
}
