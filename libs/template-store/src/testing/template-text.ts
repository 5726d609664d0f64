/**
 * A valid template named `name` for tests, with comments, a blank line and a flow map, so tests can
 * check what survives a patch. `projectName` is set when given.
 */
export function templateText(name: string, projectName = 'demo'): string {
  return [
    '# Sample template, kept verbatim',
    'hfitVersion: 1',
    `templateName: ${name}   # stored under this name`,
    `projectName: ${projectName}`,
    '',
    '# what the package holds',
    'exports:',
    '  rows.sql:',
    '    type: table-data',
    '    data: { dbms: src1, table: shop.orders, filter: "WHERE id > 3" }',
    '',
  ].join('\n');
}

/** A template with two problems: hfitVersion 2 (line 2) and an unknown export type (line 7). */
export function invalidTemplateText(name: string): string {
  return [
    '# broken on purpose',
    'hfitVersion: 2',
    `templateName: ${name}`,
    'exports:',
    '  rows.sql:',
    '    data: { dbms: src1, table: shop.orders }',
    '    type: no-such-type',
    '',
  ].join('\n');
}
