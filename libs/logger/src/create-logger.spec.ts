import { expect } from 'chai';
import { createLogger } from './create-logger.js';

/** A destination that keeps every line written to it. */
function capture(): { write(line: string): void; records(): Record<string, unknown>[]; text(): string } {
  const lines: string[] = [];
  return {
    write: (line: string) => void lines.push(line),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}

describe('createLogger', () => {
  it('redacts passwords, tokens, secrets and authorization headers', () => {
    const out = capture();
    const log = createLogger({ name: 'test', destination: out });
    log.info(
      {
        password: 'pw-1',
        source: { name: 'shop', password: 'pw-2' },
        token: 'tok-1',
        session: { token: 'tok-2' },
        secret: 'sec-1',
        headers: { authorization: 'Bearer abc', accept: 'json' },
        req: { headers: { authorization: 'Bearer def', cookie: 'sid=1' } },
      },
      'connected',
    );
    const [rec] = out.records();
    expect(rec).to.include({ name: 'test', msg: 'connected', password: '***', token: '***', secret: '***' });
    expect(rec!['source']).to.deep.equal({ name: 'shop', password: '***' });
    expect(rec!['headers']).to.deep.equal({ authorization: '***', accept: 'json' });
    expect(rec!['req']).to.deep.equal({ headers: { authorization: '***', cookie: '***' } });
    for (const s of ['pw-1', 'pw-2', 'tok-1', 'tok-2', 'sec-1', 'abc', 'def', 'sid=1']) expect(out.text()).not.to.include(s);
  });

  it('honours the level and extra redact paths', () => {
    const out = capture();
    const log = createLogger({ name: 'test', level: 'warn', destination: out, redact: ['apiKey'] });
    log.info('hidden');
    log.warn({ apiKey: 'k' }, 'shown');
    expect(out.records().map((r) => [r['msg'], r['apiKey']])).to.deep.equal([['shown', '***']]);
    expect(out.records()[0]!['time']).to.match(/^\d{4}-\d\d-\d\dT/);
  });
});
