import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where ssh-keygen is (the tests need it; Debian's openssh-client). */
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

/** A passphrase ssh-keygen accepts for every format (PEM and PKCS#8 need 5 characters or more). */
export const TEST_PASSPHRASE = 'correct horse battery';

/** A key of the tests: the private key file and its public key as OpenSSH text. */
export interface TestKeyFile {
  /** Short description for test titles: `ecdsa-384 pkcs8 encrypted`. */
  readonly label: string;
  readonly path: string;
  /** The passphrase, when the file is encrypted. */
  readonly passphrase?: string;
  /** The `.pub` line (`ssh-ed25519 AAAA… comment`). */
  readonly publicKey: string;
}

/** What {@link sshKeygen} makes. */
export interface SshKeygenSpec {
  readonly type: 'ed25519' | 'ecdsa' | 'rsa' | 'dsa';
  /** `-b`: 256/384/521 for ECDSA, modulus bits for RSA. */
  readonly bits?: number;
  /** `-m`: `PEM` (PKCS#1 / SEC1), `PKCS8`; default the OpenSSH format. */
  readonly format?: 'PEM' | 'PKCS8';
  readonly passphrase?: string;
  /** `-Z`: cipher of an encrypted OpenSSH key. */
  readonly cipher?: string;
}

/** Generates a key with `ssh-keygen` into `dir` (file name from the spec); its `.pub` is read back. */
export async function sshKeygen(dir: string, spec: SshKeygenSpec): Promise<TestKeyFile> {
  const format = spec.format ?? 'openssh';
  const encrypted = spec.passphrase !== undefined;
  const label = `${spec.type}${spec.bits === undefined ? '' : `-${spec.bits}`} ${format}${encrypted ? ` encrypted${spec.cipher === undefined ? '' : ` ${spec.cipher}`}` : ''}`;
  const file = path.join(dir, label.replace(/[^a-z0-9-]+/gi, '_'));
  const argv = ['-q', '-t', spec.type, '-N', spec.passphrase ?? '', '-C', `test@${spec.type}`, '-f', file];
  if (spec.bits !== undefined) argv.push('-b', String(spec.bits));
  if (spec.format !== undefined) argv.push('-m', spec.format);
  if (spec.cipher !== undefined) argv.push('-Z', spec.cipher);
  await run(SSH_KEYGEN, argv);
  return { label, path: file, ...(encrypted ? { passphrase: spec.passphrase } : {}), publicKey: (await readFile(`${file}.pub`, 'utf8')).trim() };
}

/** The `SHA256:…` fingerprint `ssh-keygen -lf` prints for a public key file. */
export async function sshKeygenFingerprint(publicKeyFile: string): Promise<string> {
  const { stdout } = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', publicKeyFile]);
  return stdout.split(/\s+/)[1]!;
}

/** What {@link nodeKey} makes. */
export interface NodeKeySpec {
  readonly type: 'ed25519' | 'ec' | 'rsa' | 'dsa' | 'ed448';
  /** EC curve (`prime256v1`, `secp384r1`, `secp521r1`, `secp256k1`). */
  readonly namedCurve?: string;
  /** RSA/DSA modulus bits. */
  readonly modulusLength?: number;
  /** `pkcs1` (RSA), `sec1` (EC) or `pkcs8`. */
  readonly encoding: 'pkcs1' | 'sec1' | 'pkcs8';
  /** Encrypts: PKCS#8 as `ENCRYPTED PRIVATE KEY`, PKCS#1/SEC1 as legacy `Proc-Type: 4,ENCRYPTED`. */
  readonly passphrase?: string;
}

/** Generates a key with node's crypto and writes it as PEM into `dir`; also answers the public key object. */
export async function nodeKey(dir: string, spec: NodeKeySpec): Promise<TestKeyFile & { readonly publicKeyObject: KeyObject }> {
  const encrypted = spec.passphrase !== undefined;
  const size = spec.namedCurve ?? (spec.modulusLength === undefined ? '' : String(spec.modulusLength));
  const label = `node ${spec.type}${size === '' ? '' : `-${size}`} ${spec.encoding}${encrypted ? ' encrypted' : ''}`;
  const options = {
    ...(spec.namedCurve === undefined ? {} : { namedCurve: spec.namedCurve }),
    ...(spec.modulusLength === undefined ? {} : { modulusLength: spec.modulusLength }),
  };
  const { privateKey, publicKey } = generateKeyPairSync(spec.type as 'ec', options as { namedCurve: string });
  const pem = privateKey.export({
    type: spec.encoding as 'pkcs8',
    format: 'pem',
    ...(encrypted ? { cipher: 'aes-256-cbc', passphrase: spec.passphrase! } : {}),
  }) as string;
  const file = path.join(dir, label.replace(/[^a-z0-9-]+/gi, '_'));
  await writeFile(file, pem, { mode: 0o600 });
  const spki = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return { label, path: file, ...(encrypted ? { passphrase: spec.passphrase } : {}), publicKey: spki.trim(), publicKeyObject: publicKey };
}
