import { createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import sshpk from 'sshpk';
import { CliError } from '../errors/cli-error.js';
import { nodeKey, sshKeygen, sshKeygenFingerprint, TEST_PASSPHRASE, type SshKeygenSpec, type TestKeyFile } from '../testing/key-files.js';
import { loadLoginKey } from './load-login-key.js';
import type { LoginKey } from './login-key.js';
import { passphraseSource, type PassphraseSource } from './passphrase-source.js';
import { readHiddenLine, type TerminalInput } from './read-hidden-line.js';
import { signChallenge } from './sign-challenge.js';

const MESSAGE = 'hfit-login-v1:hfit:alice:0123456789abcdef';

/** A stdin that is not a terminal: no prompt possible. */
const NOT_A_TTY = Object.assign(new PassThrough(), { isTTY: false });

function fromEnv(passphrase: string | undefined): PassphraseSource {
  return passphraseSource({ envPassphrase: passphrase, input: NOT_A_TTY, output: new PassThrough() });
}

/** Verifies a signature the way the server does: by key type, over the UTF-8 bytes. */
function verifies(key: LoginKey, publicKey: KeyObject, signature: string): boolean {
  const data = Buffer.from(MESSAGE, 'utf8');
  const bytes = Buffer.from(signature, 'base64');
  if (key.type === 'ed25519') return verify(null, data, publicKey, bytes);
  if (key.type === 'rsa') return verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes);
  return verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, bytes);
}

/** The public key of an OpenSSH `.pub` line, parsed by sshpk (independently of the private key file). */
function publicOfSshLine(line: string): KeyObject {
  return createPublicKey({ key: sshpk.parseKey(line, 'ssh').toString('pkcs8'), format: 'pem' });
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a failure').to.be.instanceOf(CliError);
  expect((e as CliError).message).to.not.include('\n');
  return e as CliError;
}

/** A fake terminal: `setRawMode` records the modes; what is written to it is the keyboard. */
function fakeTerminal(): PassThrough & TerminalInput & { modes: boolean[] } {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    modes,
    setRawMode(mode: boolean) {
      modes.push(mode);
      input.isRaw = mode;
      return input;
    },
  });
  return input;
}

describe('login keys: loading every supported type and format, signing, and one-line errors', function () {
  this.timeout(120_000);
  let dir: string;
  const generated: { key: TestKeyFile; expect: { type: string; bits: number; format: string } }[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-keys-'));
    const ssh: [SshKeygenSpec, { type: string; bits: number; format: string }][] = [];
    for (const passphrase of [undefined, TEST_PASSPHRASE]) {
      const p = passphrase === undefined ? {} : { passphrase };
      ssh.push([{ type: 'ed25519', ...p }, { type: 'ed25519', bits: 256, format: 'openssh' }]);
      for (const bits of [256, 384, 521]) {
        ssh.push([{ type: 'ecdsa', bits, ...p }, { type: 'ecdsa', bits, format: 'openssh' }]);
        ssh.push([{ type: 'ecdsa', bits, format: 'PEM', ...p }, { type: 'ecdsa', bits, format: 'sec1' }]);
      }
      ssh.push([{ type: 'ecdsa', bits: 256, format: 'PKCS8', ...p }, { type: 'ecdsa', bits: 256, format: 'pkcs8' }]);
      ssh.push([{ type: 'rsa', bits: 2048, ...p }, { type: 'rsa', bits: 2048, format: 'openssh' }]);
      ssh.push([{ type: 'rsa', bits: 2048, format: 'PEM', ...p }, { type: 'rsa', bits: 2048, format: 'pkcs1' }]);
      ssh.push([{ type: 'rsa', bits: 3072, format: 'PKCS8', ...p }, { type: 'rsa', bits: 3072, format: 'pkcs8' }]);
    }
    for (const [spec, expected] of await Promise.all(ssh.map(async ([spec, e]) => [await sshKeygen(dir, spec), e] as const))) generated.push({ key: spec, expect: expected });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads keys ssh-keygen writes (OpenSSH, PEM, PKCS#8; plain and encrypted), signs, and the .pub verifies it', async () => {
    expect(generated).to.have.length(22);
    for (const { key, expect: want } of generated) {
      const loaded = await loadLoginKey(key.path, fromEnv(key.passphrase));
      expect({ type: loaded.type, bits: loaded.bits, format: loaded.format }, key.label).to.deep.equal(want);
      expect(loaded.encrypted, key.label).to.equal(key.passphrase !== undefined);
      expect(loaded.fingerprint, key.label).to.equal(await sshKeygenFingerprint(`${key.path}.pub`));
      const signature = signChallenge(loaded, MESSAGE);
      expect(verifies(loaded, publicOfSshLine(key.publicKey), signature), key.label).to.equal(true);
      expect(verifies(loaded, createPublicKey(loaded.privateKey), signature), key.label).to.equal(true);
    }
  });

  it('loads keys node writes (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8 and legacy encrypted PEM) and they verify', async () => {
    const specs = [
      { type: 'rsa', modulusLength: 2048, encoding: 'pkcs1' },
      { type: 'rsa', modulusLength: 2048, encoding: 'pkcs1', passphrase: TEST_PASSPHRASE },
      { type: 'rsa', modulusLength: 4096, encoding: 'pkcs8', passphrase: TEST_PASSPHRASE },
      { type: 'ec', namedCurve: 'prime256v1', encoding: 'sec1' },
      { type: 'ec', namedCurve: 'secp384r1', encoding: 'sec1', passphrase: TEST_PASSPHRASE },
      { type: 'ec', namedCurve: 'secp521r1', encoding: 'pkcs8' },
      { type: 'ec', namedCurve: 'secp521r1', encoding: 'pkcs8', passphrase: TEST_PASSPHRASE },
      { type: 'ed25519', encoding: 'pkcs8' },
      { type: 'ed25519', encoding: 'pkcs8', passphrase: TEST_PASSPHRASE },
    ] as const;
    for (const spec of specs) {
      const key = await nodeKey(dir, spec);
      const loaded = await loadLoginKey(key.path, fromEnv(key.passphrase));
      expect(loaded.type, key.label).to.equal(spec.type === 'ec' ? 'ecdsa' : spec.type);
      expect(loaded.format, key.label).to.equal(spec.encoding);
      expect(loaded.encrypted, key.label).to.equal('passphrase' in spec);
      if (spec.type === 'ec') expect(loaded.curve, key.label).to.equal({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[spec.namedCurve]);
      expect(verifies(loaded, key.publicKeyObject, signChallenge(loaded, MESSAGE)), key.label).to.equal(true);
      expect(loaded.fingerprint).to.equal(sshpk.parseKey(key.publicKey, 'pem').fingerprint('sha256').toString());
    }
  });

  it('says "wrong passphrase for <path>" for OpenSSH, encrypted PKCS#8 and legacy encrypted PEM', async () => {
    const encrypted = generated.filter((g) => g.key.passphrase !== undefined).map((g) => g.key);
    const legacy = await nodeKey(dir, { type: 'rsa', modulusLength: 2048, encoding: 'pkcs1', passphrase: TEST_PASSPHRASE });
    for (const key of [...encrypted, legacy]) {
      const e = await failure(loadLoginKey(key.path, fromEnv('not the passphrase')));
      expect(e.message, key.label).to.equal(`wrong passphrase for ${key.path}`);
      expect(e).to.include({ code: 'KEY_PASSPHRASE_WRONG', exitCode: 1, hint: 'HFIT_KEY_PASSPHRASE holds another passphrase' });
    }
  });

  it('asks to set HFIT_KEY_PASSPHRASE when a key is encrypted and stdin is not a terminal', async () => {
    for (const key of generated.filter((g) => g.key.passphrase !== undefined).map((g) => g.key)) {
      const e = await failure(loadLoginKey(key.path, fromEnv(undefined)));
      expect(e.message, key.label).to.equal(`${key.path} is encrypted and stdin is not a terminal to ask for its passphrase: set HFIT_KEY_PASSPHRASE`);
      expect(e.code).to.equal('KEY_PASSPHRASE_REQUIRED');
    }
    // A plain key needs no passphrase at all.
    const plain = generated.find((g) => g.key.passphrase === undefined)!.key;
    expect((await loadLoginKey(plain.path, fromEnv(undefined))).encrypted).to.equal(false);
  });

  it('refuses DSA, small RSA, other curves and other types, naming the type and what is supported', async () => {
    const supported = 'use RSA (2048 bits or more), ECDSA (P-256, P-384, P-521) or Ed25519';
    const keys: [TestKeyFile, string][] = [
      [await nodeKey(dir, { type: 'dsa', modulusLength: 2048, encoding: 'pkcs8' }), 'a DSA key'],
      [await nodeKey(dir, { type: 'rsa', modulusLength: 1024, encoding: 'pkcs1' }), 'a 1024-bit RSA key (too small)'],
      [await nodeKey(dir, { type: 'ec', namedCurve: 'secp256k1', encoding: 'sec1' }), 'an ECDSA key on curve secp256k1'],
      [await nodeKey(dir, { type: 'ed448', encoding: 'pkcs8' }), 'a key of type ed448'],
      [await sshKeygen(dir, { type: 'rsa', bits: 1024 }), 'a 1024-bit RSA key (too small)'],
    ];
    // ssh-keygen of some builds no longer makes DSA keys (OpenSSH 9.8 removed them).
    const dsa = await sshKeygen(dir, { type: 'dsa' }).catch(() => undefined);
    if (dsa !== undefined) keys.push([dsa, 'a DSA key']);
    for (const [key, what] of keys) {
      // The OpenSSH ones are refused from their clear header, before any passphrase would be asked for.
      const e = await failure(loadLoginKey(key.path, fromEnv(undefined)));
      expect(e.message, key.label).to.equal(`${key.path} is ${what}, which hfit login does not support: ${supported}`);
      expect(e.code).to.equal('KEY_UNSUPPORTED');
    }
  });

  it('refuses garbage, a public key, a missing file, a damaged PEM and a cipher sshpk cannot decrypt, in one line each', async () => {
    const garbage = path.join(dir, 'garbage');
    await writeFile(garbage, 'this is not a key\n');
    expect((await failure(loadLoginKey(garbage, fromEnv(undefined)))).message).to.equal(`${garbage} is not a private key hfit can read (PEM or OpenSSH)`);
    const pub = `${generated[0]!.key.path}.pub`;
    expect((await failure(loadLoginKey(pub, fromEnv(undefined)))).message).to.equal(`${pub} is a public key: give the private key (the file without .pub)`);
    const missing = path.join(dir, 'nope');
    const notFound = await failure(loadLoginKey(missing, fromEnv(undefined)));
    expect(notFound).to.include({ message: `no private key at ${missing}`, code: 'KEY_NOT_FOUND' });
    const damaged = path.join(dir, 'damaged.pem');
    await writeFile(damaged, '-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n');
    expect((await failure(loadLoginKey(damaged, fromEnv(undefined)))).message).to.equal(`${damaged} is not a private key hfit can read: its PEM block cannot be decoded`);
    const damagedSsh = path.join(dir, 'damaged-ssh');
    await writeFile(damagedSsh, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    expect((await failure(loadLoginKey(damagedSsh, fromEnv(undefined)))).message).to.equal(`${damagedSsh} is not a private key hfit can read: its OPENSSH PRIVATE KEY block is damaged`);
    expect((await failure(loadLoginKey(dir, fromEnv(undefined)))).message).to.equal(`${dir} is not a file`);
    const chacha = await sshKeygen(dir, { type: 'ed25519', passphrase: TEST_PASSPHRASE, cipher: 'chacha20-poly1305@openssh.com' });
    const e = await failure(loadLoginKey(chacha.path, fromEnv(TEST_PASSPHRASE)));
    expect(e.message).to.equal(`${chacha.path} is encrypted with chacha20-poly1305@openssh.com, which hfit cannot decrypt`);
    expect(e.hint).to.equal(`re-encrypt it with \`ssh-keygen -p -Z aes256-ctr -f ${chacha.path}\``);
  });

  it('prompts on a terminal without echo, retries a wrong passphrase up to three times', async () => {
    const key = generated.find((g) => g.key.passphrase !== undefined && g.expect.type === 'ed25519')!.key;
    const input = fakeTerminal();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
    const source = passphraseSource({ envPassphrase: undefined, input, output });
    expect(source).to.include({ origin: 'prompt', attempts: 3 });
    const typed = ['wrong\r', `${TEST_PASSPHRASE}x\u007f\r`];
    output.on('data', (c: Buffer) => {
      if (c.toString('utf8').endsWith(': ')) setImmediate(() => input.write(typed.shift()!));
    });
    const loaded = await loadLoginKey(key.path, source);
    expect(loaded.type).to.equal('ed25519');
    expect(shown).to.equal(`Passphrase for ${key.path}: \nWrong passphrase, try again for ${key.path}: \n`);
    expect(shown).to.not.include(TEST_PASSPHRASE);
    expect(input.modes).to.deep.equal([true, false, true, false]);
  });

  it('reads a hidden line: Ctrl-U clears, Ctrl-C exits 130, Ctrl-D on an empty line cancels', async () => {
    const type = async (keys: string): Promise<unknown> => {
      const input = fakeTerminal();
      const pending = readHiddenLine('? ', input, new PassThrough()).then(
        (v) => v,
        (e: unknown) => e,
      );
      input.write(keys);
      return pending;
    };
    expect(await type('abc\u0015déf\n')).to.equal('déf');
    expect(await type('ab\u0003')).to.include({ code: 'INTERRUPTED', exitCode: 130 });
    expect(await type('\u0004')).to.include({ code: 'KEY_PASSPHRASE_REQUIRED' });
  });
});
