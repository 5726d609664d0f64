import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Access } from '@hfit/access';
import { HfitError, isHfitError } from '@hfit/contracts';
import type { PatchResult, TemplateSummary, TemplateText, UploadFileReport, UploadReport } from '@hfit/contracts';
import type { ObjectStore } from '@hfit/storage';
import { parseTemplate } from '@hfit/templates';
import type { TemplateModel } from '@hfit/templates';
import { applyTemplatePatch } from './apply-template-patch.js';
import { KeyedMutex } from './keyed-mutex.js';
import { mapLimit } from './map-limit.js';
import { readTemplateArchive } from './read-template-archive.js';
import { TemplateKeys } from './template-keys.js';
import { resolveUploadOptions } from './upload-options.js';
import type { UploadOptions } from './upload-options.js';

/** Options of {@link TemplateStore}. */
export interface TemplateStoreOptions {
  /** Where templates are kept: the durable object store (a file-system folder or an S3 bucket). */
  readonly store: ObjectStore;
  /** Folder of all users' templates inside the store. Default `templates`. */
  readonly prefix?: string;
}

/** Media type templates are stored with (RFC 9512). */
export const TEMPLATE_CONTENT_TYPE = 'application/yaml; charset=utf-8';

/** Object metadata key holding the sha256 of the stored bytes, so listing needs no read. */
const SHA256_METADATA = 'sha256';
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Stat requests in flight while listing. */
const LIST_CONCURRENCY = 8;

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function notFound(user: string, name: string): HfitError {
  return new HfitError('TEMPLATE_NOT_FOUND', `template "${name}" not found for user "${user}": list the stored templates to see their names`, {
    field: 'name',
  });
}

function nameMismatch(name: string, written: string): HfitError {
  return new HfitError(
    'TEMPLATE_NAME_MISMATCH',
    `the text names the template "${written}", but it is stored as "${name}": a template cannot be renamed in place; ` +
      `create "${written}" with this text and delete "${name}"`,
    { field: 'templateName' },
  );
}

/** Plain comparison (not locale-aware), so the order is the same everywhere. */
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Package templates stored per user in the object store, at `<prefix>/<user>/<templateName>.yaml`.
 * The object store is the only state: nothing lives in Redis or in memory, so templates survive
 * anything but the loss of the store itself.
 *
 * Every text is validated with `parseTemplate` before it is stored (its errors pass through with
 * every problem listed), and every write goes through `ObjectStore.publish`, so a crash leaves the
 * previous text or the new one, never part of one. Read-check-write sequences (create's "exists?",
 * patch's read-modify-write) run one at a time per template within this process; the store has no
 * conditional write, so two processes writing one template at the same moment can still race.
 */
export class TemplateStore {
  readonly #store: ObjectStore;
  readonly #keys: TemplateKeys;
  readonly #locks = new KeyedMutex();

  /** @throws HfitError STORAGE_OPTIONS_INVALID when `prefix` is not a valid folder key. */
  constructor(options: TemplateStoreOptions) {
    this.#store = options.store;
    this.#keys = new TemplateKeys(options.prefix);
  }

  /**
   * The user's templates, sorted by name.
   * @throws HfitError REQUEST_INVALID for a bad user name.
   */
  async list(user: string): Promise<TemplateSummary[]> {
    const keys: { name: string; key: string }[] = [];
    for await (const object of this.#store.list(this.#keys.userPrefix(user))) {
      const name = this.#keys.nameOfKey(user, object.key);
      if (name !== undefined) keys.push({ name, key: object.key });
    }
    const summaries = await mapLimit(keys, LIST_CONCURRENCY, ({ name, key }) => this.#summary(name, key));
    return summaries.filter((s): s is TemplateSummary => s !== undefined).sort(byName);
  }

  /**
   * The templates of `owner` (default: the reader), as {@link list}, for a reader who may read them:
   * their own always, others' when the reader's `templates` grant names the owner. Otherwise
   * `TEMPLATE_NOT_FOUND`, as if the owner had none to show.
   */
  async listAs(reader: Access, owner: string = reader.user): Promise<TemplateSummary[]> {
    if (!reader.canSeeTemplatesOf(owner)) {
      throw new HfitError('TEMPLATE_NOT_FOUND', `no templates of user "${owner}" to show: only your own, and those of users your "templates" grant names`, {
        field: 'owner',
      });
    }
    return this.list(owner);
  }

  /**
   * One template of `owner` (default: the reader), as {@link get}, for a reader who may read it
   * (see {@link listAs}); otherwise `TEMPLATE_NOT_FOUND`, exactly as for a template that does not
   * exist. Writes have no such variant: a user writes only their own templates.
   */
  async getAs(reader: Access, name: string, owner: string = reader.user): Promise<TemplateText> {
    if (!reader.canSeeTemplatesOf(owner)) throw notFound(owner, name);
    return this.get(owner, name);
  }

  /**
   * One template with its text exactly as stored.
   * @throws HfitError TEMPLATE_NOT_FOUND; REQUEST_INVALID for a bad user or template name.
   */
  async get(user: string, name: string): Promise<TemplateText> {
    const found = await this.#read(this.#keys.key(user, name), name);
    if (!found) throw notFound(user, name);
    return found;
  }

  /**
   * Validates `text` and stores it under its `templateName`.
   * @throws HfitError TEMPLATE_EXISTS when the user already has a template of that name; the
   *   template parser's errors (TEMPLATE_YAML, TEMPLATE_INVALID, … with every problem in `details`);
   *   REQUEST_INVALID for a bad user name.
   */
  async create(user: string, text: string): Promise<TemplateText> {
    this.#keys.assertUser(user);
    const name = parseTemplate(text).templateName;
    const key = this.#keys.key(user, name);
    return this.#locks.run(key, async () => {
      if (await this.#store.head(key)) {
        throw new HfitError('TEMPLATE_EXISTS', `template "${name}" already exists: update it, or delete it first`, {
          field: 'templateName',
        });
      }
      return this.#write(key, name, text);
    });
  }

  /**
   * Replaces the text of an existing template.
   * @throws HfitError TEMPLATE_NOT_FOUND; TEMPLATE_NAME_MISMATCH when the text's `templateName` is
   *   not `name`; the template parser's errors; REQUEST_INVALID for a bad user or template name.
   */
  async update(user: string, name: string, text: string): Promise<TemplateText> {
    const key = this.#keys.key(user, name);
    return this.#locks.run(key, async () => {
      if (!(await this.#store.head(key))) throw notFound(user, name);
      this.#validate(name, text);
      return this.#write(key, name, text);
    });
  }

  /**
   * Merges `patch` into the template's top-level map (see {@link applyTemplatePatch}: `null`
   * removes a key, comments and order of untouched keys are kept), validates the result and stores
   * it. A patch that changes nothing writes nothing and returns an empty diff. Renaming through a
   * patch is refused: it would have to write one key and delete another, which cannot be atomic.
   * @throws HfitError TEMPLATE_NOT_FOUND; TEMPLATE_NAME_MISMATCH when the patch changes the name;
   *   REQUEST_INVALID for a patch that is not a map of JSON values; the template parser's errors
   *   for the patched text.
   */
  async patch(user: string, name: string, patch: Readonly<Record<string, unknown>>): Promise<PatchResult> {
    const key = this.#keys.key(user, name);
    return this.#locks.run(key, async () => {
      const current = await this.#read(key, name);
      if (!current) throw notFound(user, name);
      const renamed = patch['templateName'];
      if (Object.hasOwn(patch, 'templateName') && renamed !== null && renamed !== name) {
        throw nameMismatch(name, typeof renamed === 'string' ? renamed : JSON.stringify(renamed));
      }
      const { text, diff } = applyTemplatePatch(current.text, patch);
      if (diff.length === 0) return { ...current, diff: [] };
      this.#validate(name, text);
      return { ...(await this.#write(key, name, text)), diff: [...diff] };
    });
  }

  /**
   * Removes a template.
   * @throws HfitError TEMPLATE_NOT_FOUND; REQUEST_INVALID for a bad user or template name.
   */
  async delete(user: string, name: string): Promise<void> {
    const key = this.#keys.key(user, name);
    await this.#locks.run(key, async () => {
      if (!(await this.#store.head(key))) throw notFound(user, name);
      await this.#store.delete(key);
    });
  }

  /**
   * Stores every template of a `.tar.gz` of `*.yaml` / `*.yml` files and reports on each entry, in
   * archive order. The archive is read in full (streamed, within `maxBytes` and `maxEntries`) before
   * anything is written, so a corrupt or truncated archive stores nothing. Then each template is
   * validated and written on its own: one bad file does not stop the others.
   *
   * Per entry: `created`; `updated` (text differed, `overwrite` set); `unchanged` (same text as
   * stored); `skipped` (directories, files not named `.yaml`/`.yml`); `error` with the reason:
   * validation errors, absolute or `..` paths, links and special files, a template whose name an
   * earlier file of the archive already used, or one already stored with another text while
   * `overwrite` is off (TEMPLATE_EXISTS).
   * @throws HfitError UPLOAD_INVALID when the archive is not gzip, not tar or truncated;
   *   PAYLOAD_TOO_LARGE when it is over `maxBytes` or `maxEntries`; REQUEST_INVALID for bad options
   *   or user name.
   */
  async upload(user: string, archive: Readable | Buffer, options: UploadOptions = {}): Promise<UploadReport> {
    const resolved = resolveUploadOptions(options);
    this.#keys.assertUser(user);
    const entries = await readTemplateArchive(archive, resolved);
    const firstFileOf = new Map<string, string>();
    const files: UploadFileReport[] = [];
    for (const entry of entries) {
      const { file } = entry;
      if (entry.kind === 'skipped') {
        files.push({ file, status: 'skipped', reason: entry.reason });
        continue;
      }
      if (entry.kind === 'error') {
        files.push({ file, status: 'error', error: entry.error.toJSON() });
        continue;
      }
      let model: TemplateModel;
      try {
        model = parseTemplate(entry.text);
      } catch (e) {
        if (!isHfitError(e)) throw e;
        files.push({ file, status: 'error', error: e.toJSON() });
        continue;
      }
      const name = model.templateName;
      const earlier = firstFileOf.get(name);
      if (earlier !== undefined) {
        const error = new HfitError(
          'TEMPLATE_EXISTS',
          `template "${name}" is also defined by "${earlier}" earlier in this archive: give each template its own templateName`,
          { field: 'templateName' },
        );
        files.push({ file, name, status: 'error', error: error.toJSON() });
        continue;
      }
      firstFileOf.set(name, file);
      try {
        files.push({ file, name, status: await this.#uploadOne(user, name, entry.text, resolved.overwrite) });
      } catch (e) {
        if (!isHfitError(e)) throw e;
        files.push({ file, name, status: 'error', error: e.toJSON() });
      }
    }
    const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, error: 0 };
    for (const f of files) counts[f.status] += 1;
    return { files, counts };
  }

  async #uploadOne(user: string, name: string, text: string, overwrite: boolean): Promise<'created' | 'updated' | 'unchanged'> {
    const key = this.#keys.key(user, name);
    return this.#locks.run(key, async () => {
      const current = await this.#read(key, name);
      if (!current) {
        await this.#write(key, name, text);
        return 'created';
      }
      if (current.sha256 === sha256Hex(Buffer.from(text, 'utf8'))) return 'unchanged';
      if (!overwrite) {
        throw new HfitError(
          'TEMPLATE_EXISTS',
          `template "${name}" is already stored with a different text: upload with overwrite to replace it`,
          { field: 'templateName' },
        );
      }
      await this.#write(key, name, text);
      return 'updated';
    });
  }

  /** Parses `text` (errors pass through) and checks it names the template `name`. */
  #validate(name: string, text: string): void {
    const written = parseTemplate(text).templateName;
    if (written !== name) throw nameMismatch(name, written);
  }

  /** The stored template, or `undefined` when there is none. */
  async #read(key: string, name: string): Promise<TemplateText | undefined> {
    let object;
    try {
      object = await this.#store.get(key);
    } catch (e) {
      if (isHfitError(e, 'STORAGE_OBJECT_NOT_FOUND')) return undefined;
      throw e;
    }
    const bytes = await readAll(object.body);
    return { name, text: bytes.toString('utf8'), sha256: sha256Hex(bytes), updatedAt: object.lastModified.toISOString() };
  }

  /** Summary from the object's metadata; `undefined` when it was removed after being listed. */
  async #summary(name: string, key: string): Promise<TemplateSummary | undefined> {
    const head = await this.#store.head(key);
    if (!head) return undefined;
    const recorded = head.metadata[SHA256_METADATA];
    if (recorded !== undefined && SHA256_HEX.test(recorded)) {
      return { name, size: head.size, updatedAt: head.lastModified.toISOString(), sha256: recorded };
    }
    // Written without the metadata (e.g. copied in by hand): hash the content instead.
    const read = await this.#read(key, name);
    return read && { name, size: head.size, updatedAt: read.updatedAt, sha256: read.sha256 };
  }

  /** Publishes `text` atomically, with its sha256 as metadata. */
  async #write(key: string, name: string, text: string): Promise<TemplateText> {
    const bytes = Buffer.from(text, 'utf8');
    const sha256 = sha256Hex(bytes);
    await this.#store.publish(key, bytes, { contentType: TEMPLATE_CONTENT_TYPE, metadata: { [SHA256_METADATA]: sha256 } });
    const head = await this.#store.head(key);
    return { name, text, sha256, updatedAt: (head?.lastModified ?? new Date()).toISOString() };
  }
}
