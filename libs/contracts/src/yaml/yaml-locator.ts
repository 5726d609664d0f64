import { isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { PathSegment } from '../field-path.js';

/**
 * Maps paths in a parsed YAML document to 1-based line numbers.
 *
 * Takes the `Document` and `LineCounter` of the caller's own `parseDocument` call, typed by shape
 * rather than as `yaml`'s classes: each lib installs its own copy of `yaml`, and those classes are
 * only assignable across copies while the versions match exactly. The node checks (`isMap`, ...)
 * work across copies because they compare `Symbol.for` keys.
 */
export class YamlLocator {
  constructor(
    private readonly doc: { readonly contents: unknown },
    private readonly lineCounter: { linePos(offset: number): { line: number } },
  ) {}

  /** 1-based line of an offset in the text. */
  lineAtOffset(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  private lineOfNode(node: unknown): number | undefined {
    if (isNode(node) && node.range) return this.lineAtOffset(node.range[0]);
    return undefined;
  }

  /**
   * Line of the field at `path`: the line of its key for map entries, of the item for sequence
   * entries. When the path does not exist (a missing field), the line of the deepest part that
   * does, so "field is required" points at the object that lacks it.
   */
  lineOf(path: readonly PathSegment[]): number | undefined {
    let node: unknown = this.doc.contents;
    let line = this.lineOfNode(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        line = this.lineOfNode(pair.key) ?? this.lineOfNode(pair.value) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item: unknown = node.items[seg];
        if (item === undefined) break;
        line = this.lineOfNode(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  }
}
