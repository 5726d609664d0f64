import { isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter } from 'yaml';

/** One step of a path into parsed YAML: a map key or a sequence index. */
export type PathSegment = string | number;

/** Formats a path for messages: keys joined with `.`, indices as `[i]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/**
 * 1-based line of the field at `path` in a parsed document (the line of its key), or of the deepest
 * existing part of the path when the field is missing.
 */
export function lineOfPath(doc: Document.Parsed, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined {
  const lineOf = (node: unknown) => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined);
  let node: unknown = doc.contents;
  let line = lineOf(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = lineOf(pair.key) ?? lineOf(pair.value) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      line = lineOf(item) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}
