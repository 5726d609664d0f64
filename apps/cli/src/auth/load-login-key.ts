import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import sshpk from 'sshpk';
import { CliError } from '../errors/cli-error.js';
import { SUPPORTED_KEYS, type LoginKey, type LoginKeyFormat, type LoginKeyType } from './login-key.js';
import { readOpenSshKeyHeader, type OpenSshKeyHeader } from './openssh-key-header.js';
import type { PassphraseSource } from './passphrase-source.js';

/** Larger files are not key files (an RSA 16384-bit PEM is about 12 KiB). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Ciphers of OpenSSH key files that sshpk decrypts (ssh-keygen's default is aes256-ctr). */
const OPENSSH_CIPHERS = new Set(['aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc']);

const CURVES: Readonly<Record<string, NonNullable<LoginKey['curve']>>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const CURVE_BITS: Readonly<Record<NonNullable<LoginKey['curve']>, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };

/** What the first lines of a key file say it is. */
type KeyFileKind =
  | { readonly kind: 'openssh'; readonly header: OpenSshKeyHeader }
  | { readonly kind: 'pem'; readonly format: Exclude<LoginKeyFormat, 'openssh'>; readonly encrypted: boolean }
  | { readonly kind: 'unsupported'; readonly what: string }
  | { readonly kind: 'public' }
  | { readonly kind: 'putty' }
  | { readonly kind: 'damaged'; readonly label: string }
  | { readonly kind: 'unknown'; readonly label?: string };

function keyError(message: string, code: string, hint?: string, cause?: unknown): CliError {
  return new CliError(message, { code, ...(hint === undefined ? {} : { hint }), ...(cause === undefined ? {} : { cause }) });
}

function unsupported(file: string, what: string): CliError {
  return keyError(`${file} is ${what}, which hfit login does not support: use ${SUPPORTED_KEYS}`, 'KEY_UNSUPPORTED');
}

function wrongPassphrase(file: string, source: PassphraseSource): CliError {
  return keyError(`wrong passphrase for ${file}`, 'KEY_PASSPHRASE_WRONG', source.origin === 'env' ? 'HFIT_KEY_PASSPHRASE holds another passphrase' : undefined);
}

function keyFileKind(text: string): KeyFileKind {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (label === undefined) {
    if (/^\s*(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-\S+|sk-\S+)\s+AAAA/.test(text)) return { kind: 'public' };
    if (/^PuTTY-User-Key-File-/.test(text)) return { kind: 'putty' };
    return { kind: 'unknown' };
  }
  const encrypted = /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text);
  switch (label) {
    case 'OPENSSH PRIVATE KEY': {
      const header = readOpenSshKeyHeader(text);
      return header === undefined ? { kind: 'damaged', label } : { kind: 'openssh', header };
    }
    case 'RSA PRIVATE KEY':
      return { kind: 'pem', format: 'pkcs1', encrypted };
    case 'EC PRIVATE KEY':
      return { kind: 'pem', format: 'sec1', encrypted };
    case 'PRIVATE KEY':
      return { kind: 'pem', format: 'pkcs8', encrypted: false };
    case 'ENCRYPTED PRIVATE KEY':
      return { kind: 'pem', format: 'pkcs8', encrypted: true };
    case 'DSA PRIVATE KEY':
      return { kind: 'unsupported', what: 'a DSA key' };
    default:
      return label.includes('PUBLIC KEY') ? { kind: 'public' } : { kind: 'unknown', label };
  }
}

/** The type, size and curve of a key node's crypto loaded; throws for any other type or size. */
function classify(file: string, key: KeyObject): { type: LoginKeyType; bits: number; curve?: NonNullable<LoginKey['curve']> } {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return { type: 'ed25519', bits: 256 };
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048) throw unsupported(file, `a ${bits}-bit RSA key (too small)`);
      return { type: 'rsa', bits };
    }
    case 'ec': {
      const named = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
      const curve = CURVES[named];
      if (curve === undefined) throw unsupported(file, `an ECDSA key on curve ${named}`);
      return { type: 'ecdsa', bits: CURVE_BITS[curve], curve };
    }
    case 'rsa-pss':
      return unsupportedOf(file, 'an RSA-PSS key');
    case 'dsa':
      return unsupportedOf(file, 'a DSA key');
    default:
      return unsupportedOf(file, `a key of type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

function unsupportedOf(file: string, what: string): never {
  throw unsupported(file, what);
}

/** Refuses an OpenSSH key of another type before any passphrase is asked for. */
function checkOpenSshType(file: string, header: OpenSshKeyHeader): void {
  const type = header.keyType;
  if (type === 'ssh-ed25519' || /^ecdsa-sha2-nistp(256|384|521)$/.test(type)) return;
  if (type === 'ssh-rsa') {
    if ((header.rsaBits ?? 0) < 2048) throw unsupported(file, `a ${header.rsaBits ?? 0}-bit RSA key (too small)`);
    return;
  }
  if (type === 'ssh-dss') throw unsupported(file, 'a DSA key');
  if (type.startsWith('sk-')) throw unsupported(file, `a FIDO security key (${type}), whose private part stays on the device`);
  throw unsupported(file, `a key of type ${type}`);
}

/** Tries passphrases from `source` until `open` accepts one (undefined: wrong), within `source.attempts`. */
async function withPassphrase<T>(file: string, source: PassphraseSource, openWith: (passphrase: string) => T | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const opened = openWith(await source.passphrase(file, attempt > 1));
    if (opened !== undefined) return opened;
    if (attempt >= source.attempts) throw wrongPassphrase(file, source);
  }
}

function fromPem(file: string, text: string, encrypted: boolean, source: PassphraseSource): Promise<KeyObject> | KeyObject {
  if (!encrypted) {
    try {
      return createPrivateKey({ key: text, format: 'pem' });
    } catch (err) {
      // OpenSSL's own text ("DECODER routines::unsupported") would not help anyone.
      throw keyError(`${file} is not a private key hfit can read: its PEM block cannot be decoded`, 'KEY_INVALID', undefined, err);
    }
  }
  return withPassphrase(file, source, (passphrase) => {
    try {
      return createPrivateKey({ key: text, format: 'pem', passphrase });
    } catch {
      // OpenSSL reports a wrong passphrase as "bad decrypt", or as a decoding error when the
      // wrongly decrypted bytes happen to pass the padding check: both mean "wrong passphrase".
      return undefined;
    }
  });
}

async function fromOpenSsh(file: string, bytes: Buffer, header: OpenSshKeyHeader, source: PassphraseSource): Promise<KeyObject> {
  checkOpenSshType(file, header);
  const encrypted = header.cipher !== 'none';
  if (encrypted && !OPENSSH_CIPHERS.has(header.cipher)) {
    throw keyError(`${file} is encrypted with ${header.cipher}, which hfit cannot decrypt`, 'KEY_UNSUPPORTED', `re-encrypt it with \`ssh-keygen -p -Z aes256-ctr -f ${file}\``);
  }
  if (encrypted && header.kdf !== 'bcrypt') throw keyError(`${file} uses the key derivation ${header.kdf}, which hfit cannot use`, 'KEY_UNSUPPORTED');
  const parse = (passphrase: string | undefined): sshpk.PrivateKey | undefined => {
    try {
      return sshpk.parsePrivateKey(bytes, 'ssh', { filename: file, ...(passphrase === undefined ? {} : { passphrase }) });
    } catch (err) {
      if (passphrase !== undefined && /Incorrect passphrase/i.test((err as Error).message)) return undefined;
      const reason = (err as Error).message.split('\n')[0]!.replace(/^Failed to parse .*? as a valid ssh format key: /, '');
      throw keyError(`${file} is not an OpenSSH private key hfit can read: ${reason}`, 'KEY_INVALID', undefined, err);
    }
  };
  const parsed = encrypted ? await withPassphrase(file, source, parse) : parse(undefined)!;
  // sshpk writes PKCS#8 that node's crypto loads (checked for RSA, ECDSA P-256/384/521 including
  // short private scalars, and Ed25519); the derived public key must still be the one the file
  // stores, so a wrong conversion can never sign with another key unnoticed.
  const privateKey = createPrivateKey({ key: parsed.toString('pkcs8'), format: 'pem' });
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const stored = createPublicKey({ key: parsed.toPublic().toString('pkcs8'), format: 'pem' }).export({ type: 'spki', format: 'der' });
  if (!derived.equals(stored)) throw keyError(`${file}: the private key does not match the public key stored with it`, 'KEY_INVALID');
  return privateKey;
}

async function readKeyFile(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw keyError(`no private key at ${file}`, 'KEY_NOT_FOUND', 'give the private key with --key <path>, or `hfit config set key <path>`');
    throw keyError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : (code ?? (err as Error).message)}`, 'KEY_UNREADABLE', undefined, err);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw keyError(`${file} is not a file`, 'KEY_INVALID');
    if (info.size > MAX_KEY_FILE_BYTES) throw keyError(`${file} is too large to be a private key (${info.size} bytes)`, 'KEY_INVALID');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The `SHA256:…` fingerprint of a key's public part, as `ssh-keygen -lf` prints it. */
export function keyFingerprint(key: KeyObject): string {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'pem' });
  return sshpk.parseKey(spki, 'pem').fingerprint('sha256').toString();
}

/**
 * Loads a private key for `hfit login`: PEM (PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`,
 * PKCS#8 `PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`, legacy `Proc-Type: 4,ENCRYPTED`) through node's
 * crypto, and OpenSSH (`OPENSSH PRIVATE KEY`, plain or bcrypt + AES as ssh-keygen writes it)
 * through sshpk. The passphrase of an encrypted key comes from `passphrase`. Only RSA of 2048 bits
 * or more, ECDSA P-256/P-384/P-521 and Ed25519 are accepted. Every failure is a one-line
 * `CliError` naming the file: not found, a public key, an unknown format, an unsupported type,
 * a wrong or missing passphrase.
 */
export async function loadLoginKey(file: string, passphrase: PassphraseSource): Promise<LoginKey> {
  const bytes = await readKeyFile(file);
  const text = bytes.toString('utf8');
  const kind = keyFileKind(text);
  let privateKey: KeyObject;
  let format: LoginKeyFormat;
  let encrypted: boolean;
  switch (kind.kind) {
    case 'public':
      throw keyError(`${file} is a public key: give the private key (the file without .pub)`, 'KEY_INVALID');
    case 'putty':
      throw keyError(`${file} is a PuTTY key, which hfit cannot read`, 'KEY_INVALID', `convert it: \`puttygen ${file} -O private-openssh -o <new file>\``);
    case 'damaged':
      throw keyError(`${file} is not a private key hfit can read: its ${kind.label} block is damaged`, 'KEY_INVALID');
    case 'unknown':
      throw keyError(`${file} is not a private key hfit can read (PEM or OpenSSH)${kind.label === undefined ? '' : `: found "${kind.label}"`}`, 'KEY_INVALID');
    case 'unsupported':
      throw unsupported(file, kind.what);
    case 'openssh':
      privateKey = await fromOpenSsh(file, bytes, kind.header, passphrase);
      format = 'openssh';
      encrypted = kind.header.cipher !== 'none';
      break;
    case 'pem':
      privateKey = await fromPem(file, text, kind.encrypted, passphrase);
      format = kind.format;
      encrypted = kind.encrypted;
      break;
  }
  const { type, bits, curve } = classify(file, privateKey);
  return { path: file, type, bits, ...(curve === undefined ? {} : { curve }), format, encrypted, fingerprint: keyFingerprint(privateKey), privateKey };
}
