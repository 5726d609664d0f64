/**
 * Wraps a body (e.g. of a `DO` block) in dollar quotes whose tag does not occur in it, so no text
 * from the catalog (constraint definitions, enum labels) can end the quoted body early. The tag is
 * chosen deterministically: `$hfit$`, else `$hfit1$`, `$hfit2$`, …
 */
export function dollarQuote(body: string): string {
  let tag = '$hfit$';
  for (let n = 1; body.includes(tag); n++) tag = `$hfit${n}$`;
  return `${tag}\n${body}\n${tag}`;
}
