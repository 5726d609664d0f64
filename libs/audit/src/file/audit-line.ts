import { createHash } from 'node:crypto';
import { canonicalJson, type AuditEvent } from '@hfit/contracts';

/** `prev` of the first line of a writer's chain when there was nothing to link to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One line of an audit file. Every writer (one `AuditLog` instance: a process) keeps its own hash
 * chain through the file: `seq` counts its lines from 1, `prev` is the `hash` of its previous line
 * (for `seq` 1, the hash of the last line the file held when the writer opened it, or
 * {@link GENESIS_HASH}), and `hash` covers `prev` and everything else on the line. Editing a line
 * breaks its hash; removing one breaks the `seq`/`prev` links of the line after it.
 */
export interface AuditLine {
  /** Line format version. */
  readonly v: 1;
  /** `<host>:<pid>:<random>` of the writer. */
  readonly writer: string;
  readonly seq: number;
  readonly prev: string;
  readonly event: AuditEvent;
  /** sha256 (hex) of `prev`, a newline and the canonical JSON of `{v, writer, seq, event}`. */
  readonly hash: string;
}

/** The hash of a line with these fields. */
export function auditLineHash(line: Omit<AuditLine, 'hash'>): string {
  const { prev, ...rest } = line;
  return createHash('sha256').update(`${prev}\n${canonicalJson(rest)}`).digest('hex');
}

/** The line for `event`, newline included: one `write()` appends it whole. */
export function formatAuditLine(writer: string, seq: number, prev: string, event: AuditEvent): { readonly text: string; readonly hash: string } {
  const body = { v: 1 as const, writer, seq, prev, event };
  const hash = auditLineHash(body);
  return { text: `${JSON.stringify({ ...body, hash })}\n`, hash };
}

/** Parses one line; undefined when it is not an audit line (torn, edited into invalid JSON). */
export function parseAuditLine(text: string): AuditLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const l = value as Partial<AuditLine>;
  const ok =
    l.v === 1 &&
    typeof l.writer === 'string' &&
    typeof l.seq === 'number' &&
    typeof l.prev === 'string' &&
    typeof l.hash === 'string' &&
    l.event !== null &&
    typeof l.event === 'object';
  return ok ? (l as AuditLine) : undefined;
}
