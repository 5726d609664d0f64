import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditEventSchema, isHfitError, type AuditEvent, type AuditInput } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { createRedisConnection, redisClosable, closeAll, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { AuditLog } from './audit-log.js';
import { auditStreamKey, createAuditLog } from './create-audit-log.js';
import { formatAuditLine, parseAuditLine } from './file/audit-line.js';
import { verifyAuditFile } from './file/verify-audit-file.js';
import { AuditStream } from './stream/audit-stream.js';
import { createTestAuditDir, type TestAuditDir } from './testing/test-audit-dir.js';

const HOST = 'test-host';

/** A logger keeping warnings and errors, to assert what the audit log reported. */
function warnings(): { logger: ReturnType<typeof createLogger>; messages: () => string[]; text: () => string } {
  const lines: string[] = [];
  return {
    logger: createLogger({ name: 'audit-test', level: 'warn', destination: { write: (l: string) => void lines.push(l) } }),
    messages: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    text: () => lines.join(''),
  };
}

function input(i: number, extra: Partial<AuditInput> = {}): AuditInput {
  return { action: 'browse.rows', outcome: 'success', actor: i % 2 === 0 ? 'alice' : 'bob', target: `shop_mysql/shop/orders`, rows: i, ...extra };
}

/** Every line of every audit file in `dir`, parsed. */
async function fileEvents(dir: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (const name of (await readdir(dir)).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) if (line !== '') events.push(parseAuditLine(line)!.event);
  }
  return events;
}

describe('AuditLog: append-only files plus a Redis stream', () => {
  let redis: Redis;
  let prefix: string;
  let audit: TestAuditDir;
  const logs: AuditLog[] = [];
  const open = (options: { now?: () => number; recordFilters?: boolean; logger?: ReturnType<typeof createLogger>; connection?: Redis } = {}): AuditLog => {
    const log = createAuditLog(
      { dir: audit.dir, streamMaxLen: 10_000, recordFilters: options.recordFilters ?? false },
      options.connection ?? redis,
      prefix,
      options.logger ?? createLogger({ name: 'audit-test', level: 'silent' }),
      { host: HOST, ...(options.now === undefined ? {} : { now: options.now }) },
    );
    logs.push(log);
    return log;
  };
  const fileOf = (day: string) => path.join(audit.dir, `audit-${day}.${HOST}.jsonl`);

  beforeEach(async () => {
    prefix = uniqueTestPrefix();
    audit = await createTestAuditDir();
    redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
    await waitForRedisReady(redis);
  });
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((l) => l.close()));
    await deleteKeysWithPrefix(redis, prefix);
    await closeAll([redisClosable(redis, 'redis')], { timeoutMs: 5_000 });
    await audit.dispose();
  });

  it('writes each event as one hash-chained line (folder 0700, file 0600, one file per UTC day) and adds it to the stream', async () => {
    let now = Date.parse('2026-11-24T23:59:59.500Z');
    const log = open({ now: () => now });
    await log.record(input(1, { requestId: 'r-1', clientIp: '10.0.0.1' }));
    await log.record(input(2));
    now = Date.parse('2026-11-25T00:00:00.250Z');
    await log.record(input(3, { action: 'build.submit', buildId: 'b1', owner: 'alice' }));

    expect((await stat(audit.dir)).mode & 0o777).to.equal(0o700);
    expect((await readdir(audit.dir)).sort()).to.deep.equal([`audit-2026-11-24.${HOST}.jsonl`, `audit-2026-11-25.${HOST}.jsonl`]);
    for (const day of ['2026-11-24', '2026-11-25']) {
      expect((await stat(fileOf(day))).mode & 0o777).to.equal(0o600);
      expect(await verifyAuditFile(fileOf(day))).to.deep.include({ ok: true, writers: 1, problems: [] });
    }
    const lines = (await readFile(fileOf('2026-11-24'), 'utf8')).trimEnd().split('\n').map((l) => parseAuditLine(l)!);
    expect(lines.map((l) => l.seq)).to.deep.equal([1, 2]);
    expect(lines[1]!.prev).to.equal(lines[0]!.hash);
    expect(lines[0]!.event).to.deep.include({ action: 'browse.rows', actor: 'bob', rows: 1, requestId: 'r-1', clientIp: '10.0.0.1', time: '2026-11-24T23:59:59.500Z' });
    expect(lines[0]!.event.id).to.match(/^1795564799500-[0-9a-f]{12}$/);

    const entries = await redis.xrange(auditStreamKey(prefix), '-', '+');
    expect(entries.map(([id]) => id.split('-')[0])).to.deep.equal(['1795564799500', '1795564799500', '1795564800250']);
    const streamed = entries.map(([, f]) => AuditEventSchema.parse(JSON.parse(f[f.indexOf('e') + 1]!)));
    expect(streamed).to.deep.equal(await fileEvents(audit.dir));
  });

  it('answers queries by user (actor or owner), action and time range, oldest first, page by page', async () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const log = open({ now: () => (now += 1000) });
    for (let i = 0; i < 30; i++) await log.record(input(i, i % 3 === 0 ? { action: 'build.finish', actor: 'system', owner: 'carol', buildId: `b${i}` } : {}));
    const all = await fileEvents(audit.dir);

    const finishes = await log.query({ action: 'build.finish', limit: 100 });
    expect(finishes.items.map((e) => e.buildId)).to.deep.equal(['b0', 'b3', 'b6', 'b9', 'b12', 'b15', 'b18', 'b21', 'b24', 'b27']);
    expect(finishes.nextCursor).to.equal(undefined);
    expect((await log.query({ user: 'carol', limit: 100 })).items).to.have.length(10);
    expect((await log.query({ user: 'alice', limit: 100 })).items.every((e) => e.actor === 'alice')).to.equal(true);

    const since = all[10]!.time;
    const until = all[19]!.time;
    const ranged = await log.query({ since, until, limit: 100 });
    expect(ranged.items.map((e) => e.id)).to.deep.equal(all.slice(10, 20).map((e) => e.id));

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await log.query({ user: 'bob', limit: 4, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const bobs = all.filter((e) => e.actor === 'bob').map((e) => e.id);
    expect(pages.map((p) => p.length)).to.deep.equal([4, 4, 2]);
    expect(pages.flat()).to.deep.equal(bobs);

    const bad = await log.query({ cursor: 'nope', limit: 10 }).catch((e: unknown) => e);
    expect(isHfitError(bad) && bad.code === 'REQUEST_INVALID' && bad.field === 'cursor').to.equal(true);
  });

  it('survives the loss of Redis: events recorded while it is down stay on disk, and reindex puts every event back in time order', async () => {
    const log = open();
    for (let i = 0; i < 5; i++) await log.record(input(i));
    // Redis down: the queue-role connection fails fast; the event still lands on disk.
    const down = createRedisConnection({ url: 'redis://127.0.0.1:1', role: 'queue', onError: () => undefined });
    const warned = warnings();
    try {
      const offline = open({ connection: down, logger: warned.logger });
      await offline.record(input(5, { detail: 'recorded while Redis was down' }));
    } finally {
      down.disconnect();
    }
    expect(warned.messages()).to.deep.equal(['audit: event written to disk but not to the Redis stream and chain anchor (reindex adds the event back)']);
    for (let i = 6; i < 8; i++) await log.record(input(i));
    expect(await redis.xlen(auditStreamKey(prefix))).to.equal(7);

    // Redis lost: every key of the prefix gone.
    await deleteKeysWithPrefix(redis, prefix);
    expect((await log.query({ limit: 100 })).items).to.deep.equal([]);
    const result = await log.reindex();
    expect(result).to.deep.equal({ reindexed: true, events: 8, merged: 0 });
    const back = await log.query({ limit: 100 });
    expect(back.items.map((e) => e.rows)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(back.items).to.deep.equal(await fileEvents(audit.dir));
    // Reindexing a stream that holds events does nothing; new events go on after the old ones.
    expect(await log.reindex()).to.deep.equal({ reindexed: false, reason: 'stream-not-empty' });
    await log.record(input(8));
    expect((await log.query({ limit: 100 })).items.map((e) => e.rows)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await redis.exists(`${auditStreamKey(prefix)}:reindex-lock`)).to.equal(0);
    expect(await redis.pttl(auditStreamKey(prefix))).to.equal(-1);
  });

  it('reindex merges events recorded live while it runs, without duplicates', async () => {
    const log = open();
    for (let i = 0; i < 3; i++) await log.record(input(i));
    await deleteKeysWithPrefix(redis, prefix);
    const live = input(99, { detail: 'live during reindex' });
    const stream = new AuditStream(redis, auditStreamKey(prefix), 10_000);
    const days = async function* (): AsyncGenerator<AuditEvent[]> {
      const onDisk = await fileEvents(audit.dir);
      yield onDisk.slice(0, 2);
      // Recorded now: to the file (which this reindex already read) and to the live stream.
      await log.record(live);
      // The same event as another reader of the files would see it: already in the live stream.
      const again = (await fileEvents(audit.dir)).slice(2);
      yield again;
    };
    expect(await stream.reindex(days())).to.deep.equal({ reindexed: true, events: 4, merged: 0 });
    await log.record(input(100));
    const items = (await log.query({ limit: 100 })).items;
    expect(items.map((e) => e.rows)).to.deep.equal([0, 1, 2, 99, 100]);

    // A live event the files did not hold is merged in after the file events.
    await deleteKeysWithPrefix(redis, prefix);
    const other = open({ connection: redis });
    const fromFiles = async function* (): AsyncGenerator<AuditEvent[]> {
      yield (await fileEvents(audit.dir)).filter((e) => e.rows !== 100);
      await other.record(input(101));
    };
    expect(await stream.reindex(fromFiles())).to.deep.equal({ reindexed: true, events: 4, merged: 1 });
    expect((await log.query({ limit: 100 })).items.map((e) => e.rows)).to.deep.equal([0, 1, 2, 99, 101]);
  });

  it('rejects when the event cannot be written to disk, and adds nothing to the stream', async () => {
    await writeFile(path.join(path.dirname(audit.dir), `${path.basename(audit.dir)}.file`), 'x').catch(() => undefined);
    const blocked = createAuditLog(
      { dir: path.join(path.dirname(audit.dir), `${path.basename(audit.dir)}.file`, 'audit'), streamMaxLen: 100, recordFilters: false },
      redis,
      prefix,
      createLogger({ name: 'audit-test', level: 'silent' }),
    );
    const err = await blocked.record(input(1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHfitError(err) && err.code === 'SERVICE_UNAVAILABLE').to.equal(true);
    expect(await redis.exists(auditStreamKey(prefix))).to.equal(0);
    // An event that breaks the schema is refused too (a caller bug), before anything is written.
    const log = open();
    const invalid = await log.record({ ...input(1), action: 'nope' as AuditInput['action'] }).catch((e: unknown) => e);
    expect(isHfitError(invalid) && invalid.code === 'INTERNAL_ERROR').to.equal(true);
    expect(await redis.exists(auditStreamKey(prefix))).to.equal(0);
  });

  it('verifyAuditFile catches an edited line and a removed line', async () => {
    const log = open({ now: () => Date.parse('2026-05-05T12:00:00Z') });
    for (let i = 0; i < 6; i++) await log.record(input(i));
    const file = fileOf('2026-05-05');
    const original = await readFile(file, 'utf8');
    expect(await verifyAuditFile(file)).to.deep.equal({ ok: true, lines: 6, writers: 1, problems: [] });
    const lines = original.trimEnd().split('\n');

    await writeFile(file, `${lines.map((l, i) => (i === 2 ? l.replace('"rows":2', '"rows":20') : l)).join('\n')}\n`);
    const edited = await verifyAuditFile(file);
    expect(edited.ok).to.equal(false);
    expect(edited.problems.map((p) => p.line)).to.deep.equal([3]);
    expect(edited.problems[0]!.message).to.match(/hash mismatch/);

    await writeFile(file, `${lines.filter((_, i) => i !== 3).join('\n')}\n`);
    const removed = await verifyAuditFile(file);
    expect(removed.problems.map((p) => [p.line, /seq 5 follows seq 3: lines were removed/.test(p.message)])).to.deep.equal([[4, true]]);

    await writeFile(file, `${lines.slice(1).join('\n')}\n`);
    expect((await verifyAuditFile(file)).problems[0]!.message).to.match(/starts at seq 2/);

    // A later writer links its chain to the last line it found: removing that line shows too.
    await writeFile(file, original);
    const second = open({ now: () => Date.parse('2026-05-05T13:00:00Z') });
    await second.record(input(10));
    const both = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(await verifyAuditFile(file)).to.deep.include({ ok: true, writers: 2 });
    await writeFile(file, `${both.filter((_, i) => i !== 5).join('\n')}\n`);
    expect((await verifyAuditFile(file)).problems.map((p) => p.message)).to.satisfy((m: string[]) => m.length === 1 && /links to a line that is no longer in the file/.test(m[0]!));
  });

  it('keeps lines whole when two instances append to one file at once', async () => {
    const a = open();
    const b = open();
    const detail = 'x'.repeat(3000);
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).record(input(i, { detail }))));
    const [name] = await readdir(audit.dir);
    const text = await readFile(path.join(audit.dir, name!), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).to.have.length(200);
    expect(lines.every((l) => parseAuditLine(l) !== undefined)).to.equal(true);
    expect(await verifyAuditFile(path.join(audit.dir, name!))).to.deep.include({ ok: true, lines: 200, writers: 2 });
    expect(new Set(lines.map((l) => parseAuditLine(l)!.event.rows)).size).to.equal(200);
    expect(await redis.xlen(auditStreamKey(prefix))).to.equal(200);
  });

  it('never stores secret-looking values or raw filters (unless recordFilters), always the filter sha256', async () => {
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const ci = 'hfit_ci_4hX9fQm2Lr8TzKpW';
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDo4\n-----END PRIVATE KEY-----';
    const bearer = 'Bearer opaque-0123456789';
    const filter = "customer_id = 7 AND email = 'carol@example.test'";
    const warned = warnings();
    const log = open({ logger: warned.logger });
    await log.record(input(1, { detail: `token ${jwt} and ${ci}`, target: `key ${pem}`, requestId: bearer, filter }));
    const withFilters = open({ recordFilters: true });
    await withFilters.record(input(2, { filter, detail: `header Authorization: ${bearer}` }));

    const [name] = await readdir(audit.dir);
    const stored = (await readFile(path.join(audit.dir, name!), 'utf8')) + JSON.stringify(await redis.xrange(auditStreamKey(prefix), '-', '+'));
    for (const secret of [jwt, ci, 'MC4CAQAwBQYDK2VwBCIEIDo4', 'PRIVATE KEY', 'opaque-0123456789', 'eyJ']) expect(stored).not.to.include(secret);
    const [first, second] = (await log.query({ limit: 10 })).items;
    expect(first).to.deep.include({ detail: 'token [secret removed] and [secret removed]', target: 'key [secret removed]', requestId: '[secret removed]' });
    expect(first!.filter).to.equal(undefined);
    expect(first!.filterSha256).to.equal(createHash('sha256').update(filter).digest('hex'));
    expect(second).to.deep.include({ filter, filterSha256: first!.filterSha256, detail: 'header Authorization: [secret removed]' });
    expect(warned.messages()).to.have.length(3);
    expect(warned.text()).not.to.include('opaque-0123456789');
  });

  describe('verify: the files against their hash chains and the chain anchors in Redis', () => {
    const DAY = '2026-05-05';
    const at = (day: string) => () => Date.parse(`${day}T12:00:00Z`);
    const linesOf = async (day: string) => (await readFile(fileOf(day), 'utf8')).trimEnd().split('\n');
    const writeLines = (day: string, lines: readonly string[]) => writeFile(fileOf(day), `${lines.join('\n')}\n`);

    /** Writers a and b in one file: a1 a2 a3 b1 b2 a4 a5 (b1 links to a3); one more writer on the day before. */
    async function trail(): Promise<{ a: AuditLog; b: AuditLog; c: AuditLog }> {
      const a = open({ now: at(DAY) });
      const b = open({ now: at(DAY) });
      for (let i = 0; i < 3; i++) await a.record(input(i));
      for (let i = 3; i < 5; i++) await b.record(input(i));
      for (let i = 5; i < 7; i++) await a.record(input(i));
      const c = open({ now: at('2026-05-04') });
      await c.record(input(9));
      return { a, b, c };
    }

    it('a clean trail of several writers verifies ok; each record anchors its writer\'s chain head in Redis', async () => {
      const { a, b } = await trail();
      const lines = (await linesOf(DAY)).map((l) => parseAuditLine(l)!);
      const heads = await redis.hgetall(`${auditStreamKey(prefix)}:heads`);
      expect(heads[`audit-${DAY}.${HOST}.jsonl/${a.writer}`]).to.equal(`5:${lines[6]!.hash}`);
      expect(heads[`audit-${DAY}.${HOST}.jsonl/${b.writer}`]).to.equal(`2:${lines[4]!.hash}`);
      expect(Object.keys(heads)).to.have.length(3);

      expect(await a.verify()).to.deep.equal({
        ok: true,
        files: [
          { file: `audit-2026-05-04.${HOST}.jsonl`, lines: 1, writers: 1, ok: true, problems: [] },
          { file: `audit-${DAY}.${HOST}.jsonl`, lines: 7, writers: 2, ok: true, problems: [] },
        ],
        missing: [],
      });
    });

    it('adds the event and the chain head in one MULTI: one round trip', async () => {
      const log = open({ now: at(DAY) });
      await log.record(input(0));
      const monitor = await redis.monitor();
      const seen: string[][] = [];
      monitor.on('monitor', (_time: string, args: string[], source: string) => void seen.push([source, ...args]));
      try {
        await log.record(input(1));
        const deadline = Date.now() + 5_000;
        while (!seen.some((c) => c[1]?.toLowerCase() === 'exec') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      } finally {
        monitor.disconnect();
      }
      const source = seen.find((c) => c[2] === auditStreamKey(prefix))![0];
      const ours = seen.filter((c) => c[0] === source).map((c) => [c[1]!.toLowerCase(), c[2]]);
      expect(ours).to.deep.equal([['multi', undefined], ['xadd', auditStreamKey(prefix)], ['hset', `${auditStreamKey(prefix)}:heads`], ['exec', undefined]]);
    });

    it('names an edited line and a removed middle line', async () => {
      const { a } = await trail();
      const original = await linesOf(DAY);
      await writeLines(DAY, original.map((l, i) => (i === 1 ? l.replace('"rows":1', '"rows":100') : l)));
      const edited = await a.verify();
      expect(edited.ok).to.equal(false);
      expect(edited.files[1]!.problems).to.deep.equal([{ line: 2, message: `hash mismatch: the line was changed (writer ${a.writer}, seq 2)` }]);
      expect(edited.files[0]!.ok).to.equal(true);

      await writeLines(DAY, original.filter((_, i) => i !== 1));
      const removed = await a.verify();
      expect(removed.ok).to.equal(false);
      expect(removed.files[1]!.problems).to.deep.equal([{ line: 2, message: `writer ${a.writer}: seq 3 follows seq 1: lines were removed` }]);
    });

    it('sees, only through the anchors, the last lines of a chain removed, a whole chain removed and a rewritten last line', async () => {
      const { a, b } = await trail();
      const original = await linesOf(DAY);
      const file = fileOf(DAY);

      // a4 and a5 gone: every link left in the file still holds.
      await writeLines(DAY, original.slice(0, 5));
      expect(await verifyAuditFile(file)).to.deep.include({ ok: true, lines: 5, writers: 2 });
      const tail = await a.verify();
      expect(tail.ok).to.equal(false);
      expect(tail.files[1]!.problems).to.deep.equal([{ message: `writer ${a.writer}: the chain ends at seq 3, but seq 5 was anchored when written: the last 2 lines of the chain were removed` }]);
      await writeLines(DAY, original.slice(0, 6));
      expect((await a.verify()).files[1]!.problems.map((p) => p.message)).to.deep.equal([
        `writer ${a.writer}: the chain ends at seq 4, but seq 5 was anchored when written: the last line of the chain was removed`,
      ]);

      // b's whole chain gone (nothing links to it).
      await writeLines(DAY, original.filter((_, i) => i !== 3 && i !== 4));
      expect((await verifyAuditFile(file)).ok).to.equal(true);
      expect((await a.verify()).files[1]!.problems).to.deep.equal([{ message: `writer ${b.writer}: none of its lines are in the file, but seq 2 was anchored when written: its whole chain was removed` }]);

      // a5 replaced by a line hashed correctly onto a4: only the anchored hash tells.
      const a5 = parseAuditLine(original[6]!)!;
      const forged = formatAuditLine(a.writer, 5, a5.prev, { ...a5.event, rows: 0 }).text.trimEnd();
      await writeLines(DAY, [...original.slice(0, 6), forged]);
      expect((await verifyAuditFile(file)).ok).to.equal(true);
      expect((await a.verify()).files[1]!.problems).to.deep.equal([{ line: 7, message: `writer ${a.writer}, seq 5: its hash is not the one anchored when it was written: the chain was rewritten` }]);
    });

    it('reports a deleted file as missing, with its writers; since limits files and anchors to days at or after it', async () => {
      const { a, b, c } = await trail();
      await rm(fileOf(DAY));
      const result = await a.verify();
      expect(result.ok).to.equal(false);
      expect(result.files.map((f) => f.file)).to.deep.equal([`audit-2026-05-04.${HOST}.jsonl`]);
      expect(result.missing).to.have.length(1);
      expect(result.missing[0]).to.deep.include({ file: `audit-${DAY}.${HOST}.jsonl`, writers: [a.writer, b.writer].sort() });
      expect(result.missing[0]!.message).to.equal(
        'the file is not in audit.dir, but Redis holds the chain anchors of 2 writers in it: it was deleted, or written on a host with its own audit.dir (verify there)',
      );

      // The older day's file overwritten too: a check since that day sees both, one since the day after neither.
      await writeFile(fileOf('2026-05-04'), 'torn\n');
      const both = await a.verify({ since: '2026-05-04' });
      expect(both.files[0]!.problems.map((p) => p.message)).to.deep.equal([
        'not an audit line (torn, or edited into something else)',
        `writer ${c.writer}: none of its lines are in the file, but seq 1 was anchored when written: its whole chain was removed`,
      ]);
      expect(both.missing.map((m) => m.file)).to.deep.equal([`audit-${DAY}.${HOST}.jsonl`]);
      expect(await a.verify({ since: '2026-05-06' })).to.deep.equal({ ok: true, files: [], missing: [] });
      await open({ now: at('2026-05-06') }).record(input(10));
      expect(await a.verify({ since: '2026-05-06' })).to.deep.equal({ ok: true, files: [{ file: `audit-2026-05-06.${HOST}.jsonl`, lines: 1, writers: 1, ok: true, problems: [] }], missing: [] });

      const bad = await a.verify({ since: '2026-5-6' }).catch((e: unknown) => e);
      expect(isHfitError(bad) && bad.code === 'REQUEST_INVALID' && bad.field === 'since').to.equal(true);
    });
  });
});
