import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { isHfitError } from '@hfit/contracts';
import { parsePublicKey } from './parse-public-key.js';
import { sshString } from './ssh-wire.js';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';

/** `ssh-keygen -lf`: bits, fingerprint, comment and type of a public key file. */
function keygenFingerprint(file: string): { bits: number; fingerprint: string; comment: string; type: string } {
  const out = execFileSync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).trim();
  const m = /^(\d+) (SHA256:\S+) (.*) \((\w+)\)$/.exec(out);
  if (m === null) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return { bits: Number(m[1]), fingerprint: m[2]!, comment: m[3]!, type: m[4]! };
}

function keyInvalidMessage(text: string): string {
  try {
    parsePublicKey(text);
  } catch (err) {
    expect(isHfitError(err, 'KEY_INVALID'), String(err)).to.equal(true);
    const message = (err as Error).message;
    expect(message, 'names what is accepted').to.include('ssh-ed25519').and.to.include('BEGIN PUBLIC KEY');
    return message;
  }
  throw new Error(`accepted: ${text.slice(0, 60)}`);
}

describe('parsePublicKey', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hfit-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Generates a key with ssh-keygen; returns the path of its `.pub`. */
  function keygen(name: string, args: string[], comment = `${name}@laptop`): string {
    const file = join(dir, name);
    execFileSync(SSH_KEYGEN, ['-q', ...args, '-N', '', '-C', comment, '-f', file]);
    return `${file}.pub`;
  }

  const KINDS: { name: string; args: string[]; type: string; keygenType: string }[] = [
    { name: 'ed25519', args: ['-t', 'ed25519'], type: 'ed25519', keygenType: 'ED25519' },
    { name: 'rsa2048', args: ['-t', 'rsa', '-b', '2048'], type: 'rsa', keygenType: 'RSA' },
    { name: 'rsa3072', args: ['-t', 'rsa', '-b', '3072'], type: 'rsa', keygenType: 'RSA' },
    { name: 'rsa4095', args: ['-t', 'rsa', '-b', '4095'], type: 'rsa', keygenType: 'RSA' },
    { name: 'ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ecdsa', keygenType: 'ECDSA' },
    { name: 'ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ecdsa', keygenType: 'ECDSA' },
    { name: 'ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ecdsa', keygenType: 'ECDSA' },
  ];

  for (const kind of KINDS) {
    it(`reads an ssh-keygen ${kind.name} authorized_keys line: fingerprint, bits and comment as ssh-keygen -lf prints them`, () => {
      const pub = keygen(kind.name, kind.args, `${kind.name} key of alice@laptop`);
      const expected = keygenFingerprint(pub);
      const key = parsePublicKey(readFileSync(pub, 'utf8'));
      expect(key).to.include({ type: kind.type, bits: expected.bits, fingerprint: expected.fingerprint, comment: expected.comment });
      expect(expected.type).to.equal(kind.keygenType);
      // The canonical line is the key as given.
      expect(key.line).to.equal(readFileSync(pub, 'utf8').trim());
    });
  }

  for (const kind of KINDS.filter((k) => k.type !== 'ed25519')) {
    it(`reads the PEM SPKI of an ssh-keygen ${kind.name} key with the same fingerprint${kind.type === 'rsa' ? ', and its PKCS#1 form' : ''}`, () => {
      const pub = `${join(dir, kind.name)}.pub`;
      const expected = keygenFingerprint(pub);
      const spki = execFileSync(SSH_KEYGEN, ['-e', '-m', 'PKCS8', '-f', pub], { encoding: 'utf8' });
      expect(spki).to.match(/^-----BEGIN PUBLIC KEY-----/);
      const key = parsePublicKey(spki);
      expect(key).to.include({ fingerprint: expected.fingerprint, bits: expected.bits, type: kind.type });
      expect(key.comment).to.equal(undefined);
      if (kind.type === 'rsa') {
        const pkcs1 = execFileSync(SSH_KEYGEN, ['-e', '-m', 'PEM', '-f', pub], { encoding: 'utf8' });
        expect(pkcs1).to.match(/^-----BEGIN RSA PUBLIC KEY-----/);
        expect(parsePublicKey(pkcs1).fingerprint).to.equal(expected.fingerprint);
      }
    });
  }

  it('reads an Ed25519 PEM SPKI; the line it makes is one ssh-keygen reads with the same fingerprint', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const key = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const file = join(dir, 'from-pem.pub');
    writeFileSync(file, `${key.line} from-pem\n`);
    expect(keygenFingerprint(file)).to.include({ fingerprint: key.fingerprint, bits: 256, type: 'ED25519' });
  });

  it('keeps a comment with spaces, and accepts surrounding whitespace and a trailing newline', () => {
    const pub = `${join(dir, 'ed25519')}.pub`;
    const [type, data] = readFileSync(pub, 'utf8').trim().split(' ');
    const key = parsePublicKey(`  ${type} ${data}   Alice  Smith (work)  \n`);
    expect(key.comment).to.equal('Alice  Smith (work)');
    expect(parsePublicKey(`${type} ${data}`).comment).to.equal(undefined);
  });

  it('refuses RSA under 2048 bits, naming the size', () => {
    const pub = keygen('rsa1024', ['-t', 'rsa', '-b', '1024']);
    expect(keyInvalidMessage(readFileSync(pub, 'utf8'))).to.include('1024 bits').and.to.include('too weak');
    const pem = execFileSync(SSH_KEYGEN, ['-e', '-m', 'PKCS8', '-f', pub], { encoding: 'utf8' });
    expect(keyInvalidMessage(pem)).to.include('1024 bits');
  });

  it('refuses DSA keys, as a line and as PEM', () => {
    const pub = keygen('dsa', ['-t', 'dsa']);
    expect(keyInvalidMessage(readFileSync(pub, 'utf8'))).to.include('DSA');
    const { publicKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    expect(keyInvalidMessage(publicKey.export({ type: 'spki', format: 'pem' }).toString())).to.include('DSA');
  });

  it('refuses OpenSSH certificates', () => {
    const ca = keygen('ca', ['-t', 'ed25519']);
    const pub = `${join(dir, 'ed25519')}.pub`;
    execFileSync(SSH_KEYGEN, ['-q', '-s', ca.replace(/\.pub$/, ''), '-I', 'alice', '-n', 'alice', pub]);
    expect(keyInvalidMessage(readFileSync(`${join(dir, 'ed25519')}-cert.pub`, 'utf8'))).to.include('certificate');
  });

  it('refuses security keys (sk-ssh-ed25519, sk-ecdsa)', () => {
    const blob = Buffer.concat([sshString('sk-ssh-ed25519@openssh.com'), sshString(Buffer.alloc(32, 7)), sshString('ssh:')]);
    expect(keyInvalidMessage(`sk-ssh-ed25519@openssh.com ${blob.toString('base64')} yubikey`)).to.include('security-key');
    expect(keyInvalidMessage(`sk-ecdsa-sha2-nistp256@openssh.com ${blob.toString('base64')}`)).to.include('security-key');
  });

  it('refuses private keys without parsing them, telling the sender they sent a secret', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    for (const type of ['pkcs8'] as const) expect(keyInvalidMessage(privateKey.export({ type, format: 'pem' }).toString())).to.include('PRIVATE key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(keyInvalidMessage(rsa)).to.include('PRIVATE key');
    expect(keyInvalidMessage(readFileSync(join(dir, 'ed25519'), 'utf8'))).to.include('PRIVATE key');
  });

  it('refuses EC curves other than P-256/384/521, Ed448 and X25519', () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(keyInvalidMessage(k1)).to.include('secp256k1');
    expect(keyInvalidMessage(generateKeyPairSync('ed448').publicKey.export({ type: 'spki', format: 'pem' }).toString())).to.include('ed448');
    expect(keyInvalidMessage(generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString())).to.include('x25519');
  });

  it('refuses malformed lines: garbage, options, bad base64, type mismatch, truncated or trailing data, several keys, control characters', () => {
    const line = readFileSync(`${join(dir, 'ed25519')}.pub`, 'utf8').trim();
    const [type, data] = line.split(' ') as [string, string];
    const blob = Buffer.from(data, 'base64');
    const cases: [string, string][] = [
      ['', 'empty'],
      ['hello world', 'not a public key'],
      [`from="10.0.0.1",no-pty ${line}`, 'options'],
      ['ssh-ed25519', 'no key data'],
      ['ssh-ed25519 !!!notbase64', 'base64'],
      [`ssh-rsa ${data}`, 'holds "ssh-ed25519"'],
      [`${type} ${blob.subarray(0, blob.length - 3).toString('base64')}`, 'malformed'],
      [`${type} ${Buffer.concat([blob, Buffer.from([0, 0, 0, 0])]).toString('base64')}`, 'bytes after the key'],
      [`${line}\n${line}`, 'several lines'],
      [`${type} ${data} evil\u0007bell`, 'control characters'],
      ['ssh-foo AAAA', 'not a public key'],
    ];
    for (const [text, problem] of cases) expect(keyInvalidMessage(text), text.slice(0, 40)).to.include(problem);
  });

  it('refuses an ECDSA point that is not on its curve, and a compressed point', () => {
    const pub = readFileSync(`${join(dir, 'ecdsa256')}.pub`, 'utf8').trim().split(' ');
    const blob = Buffer.from(pub[1]!, 'base64');
    const offCurve = Buffer.from(blob);
    offCurve[offCurve.length - 1]! ^= 1;
    expect(keyInvalidMessage(`${pub[0]} ${offCurve.toString('base64')}`)).to.include('not on the curve');
    const compressed = Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp256'), sshString(Buffer.concat([Buffer.from([2]), Buffer.alloc(32, 1)]))]);
    expect(keyInvalidMessage(`ecdsa-sha2-nistp256 ${compressed.toString('base64')}`)).to.include('uncompressed');
  });

  it('refuses an RSA key whose integers are not minimally encoded (it would get another fingerprint)', () => {
    const pub = readFileSync(`${join(dir, 'rsa2048')}.pub`, 'utf8').trim().split(' ');
    const blob = Buffer.from(pub[1]!, 'base64');
    // ssh-rsa, then e = 0x010001 (3 bytes): pad it with a needless zero byte.
    const typeEnd = 4 + 7;
    const padded = Buffer.concat([blob.subarray(0, typeEnd), sshString(Buffer.from([0, 1, 0, 1])), blob.subarray(typeEnd + 4 + 3)]);
    expect(keyInvalidMessage(`ssh-rsa ${padded.toString('base64')}`)).to.include('malformed');
  });

  it('sets the field of the error when given one', () => {
    try {
      parsePublicKey('nope', 'body.keys[2]');
      expect.fail('accepted');
    } catch (err) {
      expect((err as { field?: string }).field).to.equal('body.keys[2]');
    }
  });
});
