/**
 * A template string as submitted: `$N` replaced by the N-th input and `$$` by `$`, or undefined
 * when it still depends on a `prepare` variable (`${x}`): such values are only known to the worker
 * after `prepare`, which checks them then.
 */
export function literalValue(value: string, inputs: readonly string[]): string | undefined {
  if (value.includes('${')) return undefined;
  return value.replace(/\$(\$|[1-9][0-9]*)/g, (_m, g: string) => (g === '$' ? '$' : (inputs[Number(g) - 1] ?? '')));
}
