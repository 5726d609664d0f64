import { readFile } from 'node:fs/promises';
import { formatPath, GrantSchema, zodIssueMessage, type Grant, type PathSegment } from '@hfit/contracts';
import { YamlLocator } from '@hfit/contracts/yaml';
import { LineCounter, parseDocument } from 'yaml';
import { CliError, usageError } from '../errors/cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { formatProblem, type Problem } from '../errors/describe-error.js';

function invalid(file: string, problems: readonly Problem[]): CliError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new CliError(`${file}: ${formatProblem(problems[0]!)}${more}`, { code: 'GRANTS_INVALID', exitCode: ExitCode.usage, data: { problems } });
}

/**
 * Reads a grants file: a YAML list of grants (`- actions: [browse, rows]` / `tables: [shop/*\/*]`
 * …), each checked against `GrantSchema`. An empty file is an empty list (`users set
 * --grant-file` then removes every grant). Every problem names its field (`grants[1].actions[0]`)
 * and line; the first is the error's message, all are in its `problems`.
 */
export async function readGrantsFile(file: string): Promise<Grant[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(`cannot read grants file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => ({ message: `YAML syntax error (${e.code})`, line: lineCounter.linePos(e.pos[0]).line })),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return [];
  const locator = new YamlLocator(doc, lineCounter);
  if (!Array.isArray(value)) throw invalid(file, [{ field: 'grants', message: 'must be a list of grants (each item `- actions: [...]`)', line: locator.lineOf([]) }]);
  const grants: Grant[] = [];
  const problems: Problem[] = [];
  value.forEach((item: unknown, i) => {
    const parsed = GrantSchema.safeParse(item, { reportInput: true });
    if (parsed.success) {
      grants.push(parsed.data);
      return;
    }
    for (const issue of parsed.error.issues) {
      const at: PathSegment[] = [i, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
      problems.push({ field: `grants${formatPath(at)}`, message: zodIssueMessage(issue), line: locator.lineOf(at) });
    }
  });
  if (problems.length > 0) throw invalid(file, problems);
  return grants;
}
