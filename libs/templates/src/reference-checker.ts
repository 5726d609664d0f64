import type { PathSegment } from '@hfit/contracts';
import { scanQuery } from './bind-query.js';
import { describeVariables, nearMiss } from './resolve-reference.js';
import type { ProblemList } from './problem-list.js';
import { TemplateStringSyntaxError, tokenizeTemplateString } from './template-string.js';
import type { ReferenceToken } from './template-string.js';

/**
 * Static check of the `$N`/`${name}` references of a template: syntax, `$0`, variables that no
 * step sets or that are used before the step setting them, and references inside quoted SQL.
 */
export class ReferenceChecker {
  /** Highest `$N` seen. */
  maxInput = 0;

  /**
   * @param declared every variable a prepare step sets, with the index of that step.
   */
  constructor(
    private readonly problems: ProblemList,
    private readonly declared: ReadonlyMap<string, number>,
  ) {}

  /**
   * Checks one template string.
   * @param step index of the prepare step it belongs to (it may use variables of earlier steps only);
   *   `undefined` for packageName and exports, which may use every variable.
   */
  checkText(str: string, path: readonly PathSegment[], step?: number): void {
    let refs: ReferenceToken[];
    try {
      refs = tokenizeTemplateString(str).filter((t): t is ReferenceToken => t.kind !== 'text');
    } catch (e) {
      if (!(e instanceof TemplateStringSyntaxError)) throw e;
      this.problems.add('TEMPLATE_INVALID', path, e.message);
      return;
    }
    for (const ref of refs) this.checkReference(ref, path, step);
  }

  /** Checks SQL (a dbquery `query` or a table-data `filter`): references must be outside quotes. */
  checkQuery(sql: string, path: readonly PathSegment[], step?: number): void {
    let scanned;
    try {
      scanned = scanQuery(sql);
    } catch (e) {
      if (!(e instanceof TemplateStringSyntaxError)) throw e;
      this.problems.add('TEMPLATE_INVALID', path, e.message);
      return;
    }
    for (const { ref, problem } of scanned.references) {
      if (problem !== undefined) this.problems.add('QUERY_REJECTED', path, problem);
      this.checkReference(ref, path, step);
    }
  }

  /** Checks every string inside `value` (nested lists and maps), skipping `skip` keys at top level. */
  checkDeep(value: unknown, path: readonly PathSegment[], step?: number, skip: readonly string[] = []): void {
    if (typeof value === 'string') this.checkText(value, path, step);
    else if (Array.isArray(value)) value.forEach((v, i) => this.checkDeep(v, [...path, i], step));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (!skip.includes(k)) this.checkDeep(v, [...path, k], step);
    }
  }

  private checkReference(ref: ReferenceToken, path: readonly PathSegment[], step: number | undefined): void {
    if (ref.kind === 'input') {
      if (ref.index < 1) this.problems.add('INPUT_OUT_OF_RANGE', path, `${ref.raw} does not name an input: inputs are numbered from $1`);
      else this.maxInput = Math.max(this.maxInput, ref.index);
      return;
    }
    const setBy = this.declared.get(ref.name);
    if (setBy !== undefined && (step === undefined || setBy < step)) return;
    const visible = [...this.declared].filter(([, i]) => step === undefined || i < step).map(([n]) => n);
    if (setBy !== undefined) {
      this.problems.add(
        'VARIABLE_UNKNOWN',
        path,
        setBy === step
          ? `\${${ref.name}} is the variable this step sets, so it has no value yet: use an earlier variable or an input`
          : `\${${ref.name}} is set by prepare[${setBy}], which runs after this step: move that step before this one`,
      );
      return;
    }
    const hint = nearMiss(ref.name, this.declared.keys());
    this.problems.add(
      'VARIABLE_UNKNOWN',
      path,
      `unknown variable \${${ref.name}}${hint ? ` (did you mean \${${hint}}?)` : ''}; ` +
        `${describeVariables(visible)}${step === undefined ? '' : ' before this step'}: ` +
        'add a prepare step that sets it (setVar), or write $$ for a literal "$"',
    );
  }
}
