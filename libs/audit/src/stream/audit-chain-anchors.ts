import type { ChainableCommander, Redis } from 'ioredis';
import type { AuditChainHead } from '../file/audit-chain-head.js';
import { parseAuditFileName } from '../file/audit-file-name.js';

/** Between the file name and the writer in a field: file names never hold it (see `auditFileName`). */
const SEPARATOR = '/';

const VALUE = /^(\d{1,15}):([0-9a-f]{64})$/;

/** Anchored chain heads by file name, then by writer. */
export type AuditAnchors = Map<string, Map<string, AuditChainHead>>;

/**
 * The head of every writer's chain in every audit file, kept apart from the files in a Redis hash
 * (`<stream key>:heads`, field `<file name>/<writer>`, value `<seq>:<hash>`), so that removing the
 * last lines of a chain, or a whole file, shows when the files are verified. Only as durable as
 * Redis: after a Redis loss, lines written before it can again be removed unseen.
 */
export class AuditChainAnchors {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    streamKey: string,
  ) {
    this.key = `${streamKey}:heads`;
  }

  /** Queues the update of `writer`'s head in `file` on `tx` (the caller's round trip). */
  set(tx: ChainableCommander, file: string, writer: string, head: AuditChainHead): void {
    tx.hset(this.key, `${file}${SEPARATOR}${writer}`, `${head.seq}:${head.hash}`);
  }

  /** The anchors of the files of UTC day `since` (YYYY-MM-DD) and later, or of every file. */
  async read(since?: string): Promise<AuditAnchors> {
    const anchors: AuditAnchors = new Map();
    for (const [field, value] of Object.entries(await this.redis.hgetall(this.key))) {
      const at = field.indexOf(SEPARATOR);
      const file = field.slice(0, at);
      const day = parseAuditFileName(file)?.day;
      const head = VALUE.exec(value);
      // Not an anchor this code wrote: nothing to check against.
      if (at < 0 || day === undefined || head === null) continue;
      if (since !== undefined && day < since) continue;
      const writers = anchors.get(file) ?? new Map<string, AuditChainHead>();
      writers.set(field.slice(at + 1), { seq: Number(head[1]), hash: head[2]! });
      anchors.set(file, writers);
    }
    return anchors;
  }
}
