import { expect } from 'chai';
import { z } from 'zod';
import { zodIssueMessage } from './zod-issue-message.js';

/** Messages for every issue of parsing `value` with `schema`, as config and templates parse. */
function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { reportInput: true });
  expect(result.success, 'expected issues').to.equal(false);
  return result.error?.issues.map(zodIssueMessage) ?? [];
}

describe('zodIssueMessage', () => {
  it('tells a missing field from a wrong type, naming kinds in YAML terms', () => {
    const s = z.strictObject({ a: z.string(), b: z.int(), c: z.boolean(), d: z.array(z.string()), e: z.object({}) });
    expect(messages(s, { b: 1.5, c: 1.5, d: {}, e: [] })).to.deep.equal([
      'is required',
      'must be an integer, not a number',
      'must be true or false, not a number',
      'must be a list, not a map',
      'must be a map, not a list',
    ]);
    expect(messages(z.int(), 'x')).to.deep.equal(['must be a number, not a string']);
    expect(messages(z.int(), null)).to.deep.equal(['must be a number, not empty']);
  });

  it('asks for quotes when a string was written as a number', () => {
    expect(messages(z.string(), 42)).to.deep.equal(['must be a string, not an integer: put the value in quotes']);
    expect(messages(z.string(), 4.2)).to.deep.equal(['must be a string, not a number: put the value in quotes']);
  });

  it('lists the allowed values, or names the only one', () => {
    expect(messages(z.enum(['mysql', 'postgres']), 'oracle')).to.deep.equal(['must be one of: mysql, postgres']);
    expect(messages(z.literal(1), 2)).to.deep.equal(['must be 1']);
    expect(messages(z.literal('input'), 'x')).to.deep.equal(['must be "input"']);
  });

  it('states limits', () => {
    expect(messages(z.string().min(1), '')).to.deep.equal(['must not be empty']);
    expect(messages(z.string().min(16), 'short')).to.deep.equal(['must be at least 16 characters']);
    expect(messages(z.array(z.string()).min(1), [])).to.deep.equal(['must list at least 1 item']);
    expect(messages(z.array(z.string()).min(2), [])).to.deep.equal(['must list at least 2 items']);
    expect(messages(z.int().min(1), 0)).to.deep.equal(['must be at least 1']);
    expect(messages(z.int().positive(), 0)).to.deep.equal(['must be at least 0 (exclusive)']);
    expect(messages(z.string().max(3), 'abcd')).to.deep.equal(['must be at most 3 characters']);
    expect(messages(z.array(z.string()).max(1), ['a', 'b'])).to.deep.equal(['must list at most 1 items']);
    expect(messages(z.int().max(65535), 70000)).to.deep.equal(['must be at most 65535']);
  });

  it('names unknown fields and bad record keys', () => {
    expect(messages(z.strictObject({}), { pasword: 1 })).to.deep.equal(['has unknown field(s) pasword']);
    const keyed = z.record(z.string().regex(/^[a-z]+$/, 'use lower-case letters'), z.string());
    expect(messages(keyed, { Bad: 'x' })).to.deep.equal(['is not a valid name: use lower-case letters']);
  });

  it('keeps the message of custom checks', () => {
    const s = z.string().refine((v) => v.startsWith('/'), 'must be absolute: start it with "/"');
    expect(messages(s, 'rel')).to.deep.equal(['must be absolute: start it with "/"']);
  });

  it('never echoes the input', () => {
    const secret = 'hunter2-TOPSECRET';
    const s = z.strictObject({
      n: z.int(),
      e: z.enum(['a', 'b']),
      l: z.literal('x'),
      m: z.string().max(3),
      r: z.string().regex(/^[0-9]+$/),
      u: z.union([z.int(), z.boolean()]),
    });
    const all = messages(s, { n: secret, e: secret, l: secret, m: secret, r: secret, u: secret }).join('\n');
    expect(all).not.to.include('hunter2');
  });
});
