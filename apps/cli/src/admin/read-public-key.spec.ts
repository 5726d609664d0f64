import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sshpk from 'sshpk';
import { sshKeygen, sshKeygenFingerprint } from '../testing/key-files.js';
import { readPublicKey } from './read-public-key.js';

describe('readPublicKey: a .pub file, a PEM public key or the key text; never a private key', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-pub-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads an OpenSSH .pub file or its text, and a PEM SPKI file, with the fingerprint ssh-keygen prints', async () => {
    const key = await sshKeygen(dir, { type: 'ecdsa', bits: 384 });
    const fingerprint = await sshKeygenFingerprint(`${key.path}.pub`);
    expect(await readPublicKey(`${key.path}.pub`)).to.deep.equal({ text: key.publicKey, source: `${key.path}.pub`, fingerprint });
    expect(await readPublicKey(`  ${key.publicKey}\n`)).to.deep.equal({ text: key.publicKey, source: 'argument', fingerprint });
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const pemFile = path.join(dir, 'key.pem');
    await writeFile(pemFile, `# a comment\n${pem}`);
    const read = await readPublicKey(pemFile);
    expect(read.text).to.equal(pem.trim());
    expect(read.fingerprint).to.equal(sshpk.parseKey(pem, 'pem').fingerprint('sha256').toString());
  });

  it('refuses a private key before anything is sent, and files that are not one public key', async () => {
    const key = await sshKeygen(dir, { type: 'ed25519' });
    const priv = await readPublicKey(key.path).catch((e: unknown) => e);
    expect(priv).to.include({ message: `${key.path} is a private key: give the public key (the .pub file)`, exitCode: 2, hint: 'the private key never leaves your machine' });
    const two = path.join(dir, 'two.pub');
    await writeFile(two, `${key.publicKey}\n${key.publicKey}\n`);
    expect(((await readPublicKey(two).catch((e: unknown) => e)) as Error).message).to.equal(`${two} holds 2 lines: give one public key at a time`);
    const junk = path.join(dir, 'junk.pub');
    await writeFile(junk, 'hello\n');
    expect(((await readPublicKey(junk).catch((e: unknown) => e)) as Error).message).to.equal(`${junk} is not a public key`);
    expect(((await readPublicKey('ssh-ed25519 AAAAnotbase64').catch((e: unknown) => e)) as Error).message).to.equal('argument is not a public key');
    expect(((await readPublicKey(path.join(dir, 'missing.pub')).catch((e: unknown) => e)) as Error).message).to.equal(`cannot read public key file ${path.join(dir, 'missing.pub')}: no such file`);
  });
});
