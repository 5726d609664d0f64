import { expect } from 'chai';
import { dollarQuote } from './dollar-quote.js';
import { qualifiedPgName, quotePgIdentifier } from './quote-pg-identifier.js';
import { quotePgLiteral } from './quote-pg-literal.js';

describe('PostgreSQL quoting for DDL scripts', () => {
  it('quotes identifiers, doubling double quotes', () => {
    expect(quotePgIdentifier('order')).to.equal('"order"');
    expect(quotePgIdentifier('Mixed"Case')).to.equal('"Mixed""Case"');
    expect(qualifiedPgName('app', 'OrderLines')).to.equal('"app"."OrderLines"');
  });

  it('renders standard string literals: quotes doubled, backslashes and newlines kept', () => {
    expect(quotePgLiteral("it's")).to.equal("'it''s'");
    expect(quotePgLiteral('a\\b\nc')).to.equal("'a\\b\nc'");
    expect(quotePgLiteral('')).to.equal("''");
  });

  it('rejects NUL, which PostgreSQL text cannot hold', () => {
    expect(() => quotePgLiteral('a\u0000b')).to.throw(/NUL/);
    expect(() => quotePgIdentifier('a\u0000b')).to.throw(/NUL/);
  });

  it('picks a dollar-quote tag the body does not contain', () => {
    expect(dollarQuote('x')).to.equal('$hfit$\nx\n$hfit$');
    expect(dollarQuote('a $hfit$ b $hfit1$')).to.equal('$hfit2$\na $hfit$ b $hfit1$\n$hfit2$');
  });
});
