/** What the unencrypted header of an OpenSSH private key file tells (no passphrase needed). */
export interface OpenSshKeyHeader {
  /** `none` for a plain key; `aes256-ctr` is what `ssh-keygen` writes by default. */
  readonly cipher: string;
  /** `none` or `bcrypt`. */
  readonly kdf: string;
  /** Key type of the first public key: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, `ssh-dss`, `sk-…`. */
  readonly keyType: string;
  /** RSA: modulus bits, read from the public key. */
  readonly rsaBits?: number;
}

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const ARMOUR = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;

/** Reads the length-prefixed fields of the SSH wire format (RFC 4251 §5). */
class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new RangeError('truncated');
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  bytesField(): Buffer {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new RangeError('truncated');
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): string {
    return this.bytesField().toString('latin1');
  }
}

/** Bits of an SSH `mpint` (big-endian, a leading zero byte when the top bit is set). */
function mpintBits(value: Buffer): number {
  let i = 0;
  while (i < value.length && value[i] === 0) i++;
  if (i === value.length) return 0;
  return (value.length - i - 1) * 8 + (32 - Math.clz32(value[i]!));
}

/**
 * Reads the header of an `-----BEGIN OPENSSH PRIVATE KEY-----` file (PROTOCOL.key of OpenSSH):
 * cipher, KDF and the public key, which are stored in clear. Undefined when the text is not such
 * a file or is damaged.
 */
export function readOpenSshKeyHeader(text: string): OpenSshKeyHeader | undefined {
  const armoured = ARMOUR.exec(text);
  if (armoured === null) return undefined;
  const bytes = Buffer.from(armoured[1]!.replace(/\s+/g, ''), 'base64');
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  try {
    const reader = new WireReader(bytes.subarray(MAGIC.length));
    const cipher = reader.string();
    const kdf = reader.string();
    reader.bytesField(); // KDF options (salt, rounds)
    if (reader.uint32() < 1) return undefined;
    const publicKey = new WireReader(reader.bytesField());
    const keyType = publicKey.string();
    if (keyType !== 'ssh-rsa') return { cipher, kdf, keyType };
    publicKey.bytesField(); // e
    return { cipher, kdf, keyType, rsaBits: mpintBits(publicKey.bytesField()) };
  } catch {
    return undefined;
  }
}
