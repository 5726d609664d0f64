import type { Readable } from 'node:stream';
import { isHfitError } from '@hfit/contracts';
import type { ObjectStore } from '@hfit/storage';
import { z } from 'zod';
import { StoredCiTokenSchema, StoredSigningKeySchema, StoredUserSchema, type SecurityState } from './security-state.js';

/** Format of the documents; a later change of shape bumps it. */
const FORMAT = 1;

const documentOf = <T extends z.ZodType>(item: T) => z.object({ format: z.literal(FORMAT), items: z.array(item) });

/** Each part of the state and the schema of its document. */
const PARTS = {
  users: documentOf(StoredUserSchema),
  ciTokens: documentOf(StoredCiTokenSchema),
  signingKeys: documentOf(StoredSigningKeySchema),
} as const;
type Part = keyof typeof PARTS;

/** Object names of the parts, under the folder. */
const NAMES: Readonly<Record<Part, string>> = { users: 'users.json', ciTokens: 'ci-tokens.json', signingKeys: 'signing-keys.json' };

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The security state as JSON documents in the object store (`<folder>/users.json`,
 * `ci-tokens.json`, `signing-keys.json`): durable where the packages are, so losing Redis loses
 * none of it. Each document is written with `publish` (readers see the old or the new one whole).
 * A missing document is an empty list; a corrupt one is an error (never silently an empty list,
 * which would drop every user).
 */
export class SecurityDocuments {
  constructor(
    private readonly objects: ObjectStore,
    private readonly folder: string,
  ) {}

  /** Reads every document. */
  async load(): Promise<SecurityState> {
    const [users, ciTokens, signingKeys] = await Promise.all([this.read('users'), this.read('ciTokens'), this.read('signingKeys')]);
    return { users, ciTokens, signingKeys } as SecurityState;
  }

  /** Writes the documents of `next` whose part is not the same object as in `previous`. */
  async save(previous: SecurityState, next: SecurityState): Promise<void> {
    const changed = (Object.keys(PARTS) as Part[]).filter((part) => previous[part] !== next[part]);
    await Promise.all(changed.map((part) => this.write(part, next[part])));
  }

  private key(part: Part): string {
    return `${this.folder}/${NAMES[part]}`;
  }

  private async read(part: Part): Promise<unknown[]> {
    let bytes: Buffer;
    try {
      bytes = await readAll((await this.objects.get(this.key(part))).body);
    } catch (err) {
      if (isHfitError(err, 'STORAGE_OBJECT_NOT_FOUND')) return [];
      throw err;
    }
    const parsed = PARTS[part].safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new Error(`security document ${this.key(part)} is corrupt: ${z.prettifyError(parsed.error)}`);
    return parsed.data.items;
  }

  private async write(part: Part, items: readonly unknown[]): Promise<void> {
    const body = Buffer.from(`${JSON.stringify({ format: FORMAT, items }, null, 2)}\n`);
    await this.objects.publish(this.key(part), body, { contentType: 'application/json' });
  }
}
