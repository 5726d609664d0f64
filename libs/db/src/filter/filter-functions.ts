import type { FilterFunctionName } from './filter-node.js';

/** Arity of each allowed filter function (see {@link FilterFunctionName} for what each does). */
export interface FilterFunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
}

/** The allow-list itself. Keys are the lower-case names a filter may use. */
export const FILTER_FUNCTIONS: ReadonlyMap<string, { readonly name: FilterFunctionName } & FilterFunctionSpec> = new Map([
  ['lower', { name: 'lower', minArgs: 1, maxArgs: 1 }],
  ['upper', { name: 'upper', minArgs: 1, maxArgs: 1 }],
  ['char_length', { name: 'char_length', minArgs: 1, maxArgs: 1 }],
  // Same function under its SQL-standard long name.
  ['character_length', { name: 'char_length', minArgs: 1, maxArgs: 1 }],
  ['length', { name: 'length', minArgs: 1, maxArgs: 1 }],
  ['abs', { name: 'abs', minArgs: 1, maxArgs: 1 }],
  ['coalesce', { name: 'coalesce', minArgs: 2, maxArgs: 32 }],
  ['year', { name: 'year', minArgs: 1, maxArgs: 1 }],
  ['month', { name: 'month', minArgs: 1, maxArgs: 1 }],
  ['day', { name: 'day', minArgs: 1, maxArgs: 1 }],
  ['date', { name: 'date', minArgs: 1, maxArgs: 1 }],
] as const);

/** Human list for error messages. */
export const FILTER_FUNCTION_LIST = [...FILTER_FUNCTIONS.keys()].join(', ');
