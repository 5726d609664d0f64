import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditEventSchema, type AuditFileProblem, type AuditFileReport } from '@hfit/contracts';
import type { AuditChainHead } from './audit-chain-head.js';
import { auditLineHash, GENESIS_HASH, parseAuditLine } from './audit-line.js';

/** What {@link verifyAuditFile} found (`problems` in file order; those without a line last). */
export type AuditFileVerification = Omit<AuditFileReport, 'file'>;

/** `the last line … was` / `the last 3 lines … were`. */
function lastLines(n: number): string {
  return n === 1 ? 'the last line of the chain was removed' : `the last ${n} lines of the chain were removed`;
}

/**
 * Checks the hash chains of one audit file, reading it as a stream: every line parses, its `hash`
 * matches its content (an edited line fails here), each writer's `seq` runs 1, 2, 3… and each
 * `prev` is the hash of that writer's line before (a removed line fails here), and the first line
 * of each chain links to {@link GENESIS_HASH} or to a line earlier in the file (removing lines a
 * later writer linked to fails here).
 *
 * The file alone cannot show that the last lines of a chain, or a whole chain nothing links to,
 * were removed. `expected` closes that gap: the chain heads recorded elsewhere (Redis, see
 * `AuditLog.verify`) by writer. The file must hold each writer's line of that `seq` with exactly
 * that `hash`; a chain that ends before it lost its last lines.
 */
export async function verifyAuditFile(file: string, expected: ReadonlyMap<string, AuditChainHead> = new Map()): Promise<AuditFileVerification> {
  const problems: AuditFileProblem[] = [];
  const chains = new Map<string, { seq: number; hash: string }>();
  const seen = new Set<string>([GENESIS_HASH]);
  /** Writers whose expected head was found (with the right hash or not). */
  const reached = new Set<string>();
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
    const head = expected.get(line.writer);
    if (head?.seq === line.seq && !reached.has(line.writer)) {
      reached.add(line.writer);
      if (head.hash !== hash) problems.push({ line: n, message: `writer ${line.writer}, seq ${line.seq}: its hash is not the one anchored when it was written: the chain was rewritten` });
    }
    chains.set(line.writer, { seq: line.seq, hash });
    seen.add(hash);
  }
  for (const [writer, head] of expected) {
    if (reached.has(writer)) continue;
    const last = chains.get(writer)?.seq;
    if (last === undefined) problems.push({ message: `writer ${writer}: none of its lines are in the file, but seq ${head.seq} was anchored when written: its whole chain was removed` });
    else if (last < head.seq) problems.push({ message: `writer ${writer}: the chain ends at seq ${last}, but seq ${head.seq} was anchored when written: ${lastLines(head.seq - last)}` });
    else problems.push({ message: `writer ${writer}: seq ${head.seq}, anchored when written, is not in the file: the line was removed` });
  }
  return { ok: problems.length === 0, lines, writers: chains.size, problems };
}
