/** Values available to `$N` and `${name}` references while a template is built. */
export interface SubstitutionContext {
  /** CLI inputs; `$1` is `inputs[0]`. */
  readonly inputs: readonly string[];
  /** Prepare variables set so far, by name. */
  readonly vars: ReadonlyMap<string, string>;
}
