import { isDeepStrictEqual } from 'node:util';
import { HfitError, PatchRequestSchema, formatPath, zodIssueMessage } from '@hfit/contracts';
import type { PathSegment, TemplateDiffEntry } from '@hfit/contracts';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';

/** What {@link applyTemplatePatch} made of a template. */
export interface TemplatePatchResult {
  /** The patched YAML; the input text itself when nothing changed. */
  readonly text: string;
  /** One entry per top-level key the patch changed, in the patch's key order. */
  readonly diff: readonly TemplateDiffEntry[];
}

/** Same limit as the template parser: a patch cannot make an alias bomb readable. */
const MAX_ALIAS_COUNT = 100;

/**
 * Checks that `patch` is a map of top-level keys to JSON values.
 * @throws HfitError REQUEST_INVALID listing every bad key.
 */
function validPatch(patch: unknown): Record<string, unknown> {
  const result = PatchRequestSchema.safeParse(patch);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const field = formatPath(issue.path as PathSegment[]);
    return { message: zodIssueMessage(issue), ...(field === '' ? {} : { field }) };
  });
  const lines = details.map((d) => `- ${d.field ?? '(patch)'}: ${d.message}`);
  throw new HfitError('REQUEST_INVALID', `patch must map top-level template keys to JSON values:\n${lines.join('\n')}`, {
    details,
  });
}

function plainValue(doc: { toJS(opts: { maxAliasCount: number }): unknown }): Record<string, unknown> {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
}

/**
 * Applies a top-level merge patch to a template's YAML: each key of `patch` replaces that key's
 * whole value (appended at the end when new), `null` removes the key, a value equal to the current
 * one changes nothing. It edits the parsed YAML document rather than re-serialising the data, so
 * the comments, blank lines, quoting and order of untouched keys survive, and so does the comment
 * above a changed key (a changed scalar keeps its own comment too). Long lines are never folded.
 *
 * The result is not validated here: the caller parses it as a template.
 * @throws HfitError REQUEST_INVALID when `patch` is not a map of JSON values; TEMPLATE_YAML /
 *   TEMPLATE_INVALID when `text` is not a YAML map.
 */
export function applyTemplatePatch(text: string, patch: Readonly<Record<string, unknown>>): TemplatePatchResult {
  const changes = validPatch(patch);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new HfitError('TEMPLATE_YAML', `stored template is not valid YAML: line ${line}: ${firstError.message}`, { line });
  }
  if (!isMap(doc.contents)) {
    throw new HfitError('TEMPLATE_INVALID', 'stored template is not a YAML map, so it cannot be patched key by key: replace it instead', {
      line: 1,
    });
  }
  const before = plainValue(doc);
  const touched: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const present = Object.hasOwn(before, key);
    if (value === null) {
      if (!present) continue;
      doc.delete(key);
    } else {
      if (present && isDeepStrictEqual(before[key], value)) continue;
      const current = doc.get(key, true);
      // A scalar replaced by a scalar keeps its node (quoting style, comment); anything else gets
      // a fresh node in the document's default style.
      doc.set(key, isScalar(current) && typeof value !== 'object' ? value : doc.createNode(value));
    }
    touched.push(key);
  }
  if (touched.length === 0) return { text, diff: [] };

  const after = plainValue(doc);
  const diff = touched.map((key): TemplateDiffEntry => {
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    if (!has) return { key, op: 'removed', before: before[key] as TemplateDiffEntry['before'] };
    if (!had) return { key, op: 'added', after: after[key] as TemplateDiffEntry['after'] };
    return {
      key,
      op: 'changed',
      before: before[key] as TemplateDiffEntry['before'],
      after: after[key] as TemplateDiffEntry['after'],
    };
  });
  return { text: doc.toString({ lineWidth: 0 }), diff };
}
