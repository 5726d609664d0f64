/**
 * Reads the SSH wire format of RFC 4251 §5 (`string`: uint32 length + bytes; `mpint`: a `string`
 * holding a two's-complement big-endian integer). Every read checks the length against what is
 * left, so a truncated or forged blob fails with `undefined` instead of reading past the end.
 */
export class SshWireReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  /** The next `string`, or `undefined` when the data is too short. */
  string(): Buffer | undefined {
    if (this.offset + 4 > this.bytes.length) return undefined;
    const length = this.bytes.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (length > this.bytes.length - start) return undefined;
    this.offset = start + length;
    return this.bytes.subarray(start, start + length);
  }

  /** Whether every byte was read (a key blob with trailing bytes is not canonical). */
  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}

/** `bytes` as an SSH `string`. */
export function sshString(bytes: Buffer | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/**
 * A non-negative integer given as unsigned big-endian bytes (a JWK `n`, `e`) as an SSH `mpint`:
 * leading zero bytes dropped, one `0x00` added back when the top bit is set (else it would read as
 * negative), exactly as OpenSSH writes it, so fingerprints match `ssh-keygen`.
 */
export function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const digits = unsigned.subarray(start);
  const needsPad = digits.length > 0 && (digits[0]! & 0x80) !== 0;
  return sshString(needsPad ? Buffer.concat([Buffer.from([0]), digits]) : digits);
}

/** The unsigned magnitude of an SSH `mpint` body, or `undefined` when negative or not minimal. */
export function mpintMagnitude(body: Buffer): Buffer | undefined {
  if (body.length === 0) return body;
  if ((body[0]! & 0x80) !== 0) return undefined;
  if (body[0] === 0) {
    // A leading zero is only allowed (and then required) in front of a byte with its top bit set.
    if (body.length === 1 || (body[1]! & 0x80) === 0) return undefined;
    return body.subarray(1);
  }
  return body;
}
