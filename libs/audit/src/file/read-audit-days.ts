import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AuditEventSchema, type AuditEvent } from '@hfit/contracts';
import { parseAuditLine } from './audit-line.js';
import { listAuditFiles } from './list-audit-files.js';

/** The events of one file, in file order; lines that are not audit lines are counted, not thrown. */
async function readEvents(file: string, onBadLine: (file: string, line: number) => void): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let n = 0;
  const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of input) {
    n += 1;
    if (text === '') continue;
    const parsed = AuditEventSchema.safeParse(parseAuditLine(text)?.event);
    if (parsed.success) events.push(parsed.data);
    else onBadLine(file, n);
  }
  return events;
}

/**
 * The events of every audit file in `dir`, one group per UTC day (all hosts' files of that day),
 * days oldest first, each group sorted by time (ties in file order) without duplicates. One day is held in
 * memory at a time. A missing folder yields nothing.
 */
export async function* readAuditDays(dir: string, onBadLine: (file: string, line: number) => void = () => undefined): AsyncGenerator<AuditEvent[]> {
  const days = new Map<string, string[]>();
  for (const { name, day } of await listAuditFiles(dir)) days.set(day, [...(days.get(day) ?? []), name]);
  for (const names of days.values()) {
    const byId = new Map<string, AuditEvent>();
    for (const name of names) for (const e of await readEvents(path.join(dir, name), onBadLine)) byId.set(e.id, e);
    // A stable sort: events of the same millisecond keep their order in the files.
    yield [...byId.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }
}
