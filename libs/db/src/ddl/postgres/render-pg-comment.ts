import { quotePgLiteral } from './quote-pg-literal.js';

/**
 * `COMMENT ON <target> IS '…';` or '' when there is no comment. `target` is already rendered, e.g.
 * `TABLE "app"."orders"` or `CONSTRAINT "c" ON "app"."orders"`.
 */
export function renderPgComment(target: string, comment: string | null): string {
  return comment === null ? '' : `COMMENT ON ${target} IS ${quotePgLiteral(comment)};`;
}
