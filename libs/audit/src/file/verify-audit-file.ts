import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditEventSchema } from '@hfit/contracts';
import { auditLineHash, GENESIS_HASH, parseAuditLine } from './audit-line.js';

/** One thing wrong with an audit file, at a 1-based line. */
export interface AuditFileProblem {
  readonly line: number;
  readonly message: string;
}

/** What {@link verifyAuditFile} found. */
export interface AuditFileVerification {
  /** No problem found. */
  readonly ok: boolean;
  /** Audit lines read (valid or not; empty lines are not counted). */
  readonly lines: number;
  /** Writers (chains) seen. */
  readonly writers: number;
  readonly problems: readonly AuditFileProblem[];
}

/**
 * Checks the hash chains of one audit file: every line parses, its `hash` matches its content (an
 * edited line fails here), each writer's `seq` runs 1, 2, 3… and each `prev` is the hash of that
 * writer's line before (a removed line fails here), and the first line of each chain links to
 * {@link GENESIS_HASH} or to a line earlier in the file (removing lines a later writer linked to
 * fails here). Removing the last lines of a chain, or a whole chain nothing links to, cannot be
 * seen in the file alone: compare with the Redis stream or a copy shipped elsewhere.
 */
export async function verifyAuditFile(file: string): Promise<AuditFileVerification> {
  const problems: AuditFileProblem[] = [];
  const chains = new Map<string, { seq: number; hash: string }>();
  const seen = new Set<string>([GENESIS_HASH]);
  let lines = 0;
  let n = 0;
  const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of input) {
    n += 1;
    if (text === '') continue;
    lines += 1;
    const line = parseAuditLine(text);
    if (line === undefined) {
      problems.push({ line: n, message: 'not an audit line (torn, or edited into something else)' });
      continue;
    }
    const { hash, ...body } = line;
    if (auditLineHash(body) !== hash) problems.push({ line: n, message: `hash mismatch: the line was changed (writer ${line.writer}, seq ${line.seq})` });
    else if (!AuditEventSchema.safeParse(line.event).success) problems.push({ line: n, message: 'the event does not match the audit event schema' });
    const chain = chains.get(line.writer);
    if (chain === undefined) {
      if (line.seq !== 1) problems.push({ line: n, message: `writer ${line.writer} starts at seq ${line.seq}: lines 1..${line.seq - 1} of its chain were removed` });
      else if (!seen.has(line.prev)) problems.push({ line: n, message: `writer ${line.writer} links to a line that is no longer in the file: a line before it was removed or changed` });
    } else if (line.seq !== chain.seq + 1) {
      problems.push({ line: n, message: `writer ${line.writer}: seq ${line.seq} follows seq ${chain.seq}: ${line.seq > chain.seq + 1 ? 'lines were removed' : 'lines were duplicated or reordered'}` });
    } else if (line.prev !== chain.hash) {
      problems.push({ line: n, message: `writer ${line.writer}, seq ${line.seq}: prev does not match the hash of seq ${chain.seq}: a line was changed or replaced` });
    }
    chains.set(line.writer, { seq: line.seq, hash });
    seen.add(hash);
  }
  return { ok: problems.length === 0, lines, writers: chains.size, problems };
}
