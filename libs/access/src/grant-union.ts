import { ACTIONS, type Grant } from '@hfit/contracts';

const LISTS = ['tables', 'volumes', 'packages', 'builds', 'templates'] as const;

/** The union of several grants (each pattern list de-duplicated, actions in {@link ACTIONS} order). */
export function grantUnion(grants: readonly Grant[]): Grant {
  const actions = new Set(grants.flatMap((g) => g.actions));
  const out: Record<string, string[]> = {};
  for (const list of LISTS) out[list] = [...new Set(grants.flatMap((g) => g[list]))];
  return {
    actions: ACTIONS.filter((a) => actions.has(a)),
    tables: out['tables']!,
    volumes: out['volumes']!,
    packages: out['packages']!,
    builds: out['builds']!,
    templates: out['templates']!,
  };
}
