import { expect } from 'chai';
import { durationMs, parseTimeSpec } from './parse-time.js';

describe('parseTimeSpec: ISO dates and durations for --expires, --since, --until', () => {
  const now = new Date('2024-05-01T12:00:00.000Z');

  it('reads durations back (past) or ahead (future) of now', () => {
    expect(parseTimeSpec('2h', { flag: '--since', direction: 'past', now })).to.equal('2024-05-01T10:00:00.000Z');
    expect(parseTimeSpec('30d', { flag: '--expires', direction: 'future', now })).to.equal('2024-05-31T12:00:00.000Z');
    expect(parseTimeSpec('1d12h', { flag: '--expires', direction: 'future', now })).to.equal('2024-05-03T00:00:00.000Z');
    expect(parseTimeSpec(' 45M ', { flag: '--since', direction: 'past', now })).to.equal('2024-05-01T11:15:00.000Z');
    expect(durationMs('2w')).to.equal(14 * 86_400_000);
    expect(durationMs('2024-05-01')).to.equal(undefined);
  });

  it('reads ISO dates (UTC midnight) and date-times with an offset', () => {
    expect(parseTimeSpec('2025-12-31', { flag: '--expires', direction: 'future', now })).to.equal('2025-12-31T00:00:00.000Z');
    expect(parseTimeSpec('2024-04-30T08:30:00+02:00', { flag: '--since', direction: 'past', now })).to.equal('2024-04-30T06:30:00.000Z');
    expect(parseTimeSpec('2024-04-30T08:30:00.5Z', { flag: '--since', direction: 'past', now })).to.equal('2024-04-30T08:30:00.500Z');
  });

  it('refuses anything else as a usage error naming the flag', () => {
    for (const bad of ['yesterday', '3 days', '12', '2024-13-45', '']) {
      expect(() => parseTimeSpec(bad, { flag: '--until', direction: 'past', now }), bad)
        .to.throw(`--until "${bad}" is neither an ISO date (2024-05-01, 2024-05-01T10:00:00Z) nor a duration (30d, 12h, 45m)`)
        .with.property('exitCode', 2);
    }
  });
});
