import type { BuildService } from '@hfit/builds';
import {
  ArchiveFormatSchema,
  BuildAcceptedSchema,
  BuildConsistencySchema,
  BuildListQuerySchema,
  BuildListSchema,
  BuildValidationSchema,
  BuildViewSchema,
  CreateBuildRequestSchema,
  formatPath,
  isHfitError,
  RowFormatSchema,
  zodIssueMessage,
} from '@hfit/contracts';
import type { AuditSink, BuildView, CreateBuildRequest, ErrorDetail } from '@hfit/contracts';
import { z } from 'zod';
import { requestInvalid } from '../problems/request-invalid.js';
import type { RateLimits } from '../security/rate-limits.js';
import { BuildIdParamsSchema } from './build-id-params.js';
import { auditingDenials, buildAuditFields, recordAudit, recordAuditAfter } from './route-audit.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** Media types of a raw template body (`curl --data-binary @t.yaml -H 'Content-Type: application/yaml'`). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'] as const;

const TemplateTextSchema = z.string().min(1).max(1024 * 1024).describe('The template (YAML text)');

/** Body schemas of `POST /v1/builds`: the JSON request, or the template itself as YAML. */
const SubmitBodies = {
  'application/json': CreateBuildRequestSchema,
  ...Object.fromEntries(YAML_MEDIA_TYPES.map((m) => [m, TemplateTextSchema])),
} as { 'application/json': typeof CreateBuildRequestSchema } & Record<(typeof YAML_MEDIA_TYPES)[number], typeof TemplateTextSchema>;

/** A query parameter that may be repeated: one value or several, always read as a list. */
const repeated = (item: z.ZodString) => z.union([item, z.array(item).max(100)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Query of `POST /v1/builds` with a YAML body: what the JSON body would carry besides the template. */
const SubmitQuerySchema = z
  .object({
    arg: repeated(z.string().max(4096)).optional().describe('Positional argument $1, $2, … (repeat the parameter); YAML bodies only'),
    namedArg: repeated(z.string().max(4200).regex(/^[^=]+=/, 'must be name=value'))
      .optional()
      .describe('Named argument `name=value`: sets the `from: input` variable of that name (repeat the parameter); YAML bodies only'),
    format: ArchiveFormatSchema.optional().describe('Archive format; YAML bodies only'),
    rowFormat: RowFormatSchema.optional().describe('Row format of table-data exports that set none; YAML bodies only'),
    consistency: BuildConsistencySchema.optional().describe('How the build spreads over workers; YAML bodies only'),
  })
  .strict();

/** `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header). */
const SubmitHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x20-\x7E]{1,200}$/, 'must be 1-200 printable ASCII characters')
    .optional()
    .describe('Retrying with the same key and request returns the same build (200) instead of a new one'),
});

/** The body of a `202`/`200` to a submit. */
function accepted(view: BuildView): z.input<typeof BuildAcceptedSchema> {
  return { id: view.id, state: view.state, links: view.links };
}

/** Where the problems of a request built from a YAML body and its query come from. */
function yamlRequestField(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (head === 'template') return 'body';
  if (head === 'args') return formatPath(['query', 'arg', ...rest]);
  // A named argument's problem names the variable: `query.namedArg.customerId`.
  if (head === 'namedArgs') return formatPath(['query', 'namedArg', ...rest]);
  return formatPath(['query', ...rest]);
}

/** The build request a YAML body and its query parameters stand for. */
function requestFromYaml(template: string, query: z.output<typeof SubmitQuerySchema>): CreateBuildRequest {
  const options = {
    ...(query.format === undefined ? {} : { format: query.format }),
    ...(query.rowFormat === undefined ? {} : { rowFormat: query.rowFormat }),
    ...(query.consistency === undefined ? {} : { consistency: query.consistency }),
  };
  const namedArgs: Record<string, string> = {};
  const twice: ErrorDetail[] = [];
  for (const [i, pair] of (query.namedArg ?? []).entries()) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    if (Object.hasOwn(namedArgs, name)) twice.push({ field: formatPath(['query', 'namedArg', i]), message: `"${name}" is given twice: give each named argument once` });
    namedArgs[name] = pair.slice(at + 1);
  }
  if (twice.length > 0) throw requestInvalid(twice);
  const parsed = CreateBuildRequestSchema.safeParse({ template, args: query.arg ?? [], namedArgs, options }, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw requestInvalid(parsed.error.issues.map((i): ErrorDetail => ({ field: yamlRequestField(i.path), message: zodIssueMessage(i) })));
}

/** What {@link buildRoutes} needs besides the build service. */
export interface BuildRoutesDeps {
  /** `build.submit` and `build.cancel`, and `access.denied` for every refusal. */
  readonly audit: AuditSink;
  /** Submits and validations count against `api.rateLimits.submitPerUser`. */
  readonly rateLimits: Pick<RateLimits, 'submit'>;
}

/** What an audit event names a build request by: the stored template, or the inline one's name when it shows. */
function requestTarget(request: CreateBuildRequest): string {
  if (request.templateName !== undefined) return `${request.templateOwner ?? ''}${request.templateOwner === undefined ? '' : '/'}${request.templateName}`;
  return /^templateName:\s*["']?([A-Za-z0-9._-]+)/m.exec(request.template ?? '')?.[1] ?? 'template';
}

/**
 * The build resource: submit (`POST /v1/builds`, JSON or raw YAML), list, get and cancel. Each
 * route validates, makes one {@link BuildService} call (which decides what the caller may do and
 * see), and renders its answer. Submits and validations are rate-limited per user; submits,
 * cancels and refusals are audited.
 */
export function buildRoutes(builds: BuildService, deps: BuildRoutesDeps): RouteModule {
  const { audit, rateLimits } = deps;
  return (registry) => {
    registry.components({ BuildView: BuildViewSchema, BuildAccepted: BuildAcceptedSchema, BuildList: BuildListSchema });
    registry.add({
      method: 'post',
      path: '/v1/builds',
      operationId: 'submitBuild',
      summary: 'Submit a build: validate the template and queue it',
      description:
        'Send JSON (`template` text or a stored `templateName`, `args`, `namedArgs`, `options`), or the template itself as ' +
        '`application/yaml` with its arguments as repeated `arg` (positional) and `namedArg=name=value` query parameters. Answers `202` with the new build, or `200` ' +
        'with the earlier build when an `Idempotency-Key` was already used for the same request. Needs the `build` action and ' +
        'grants on the package and on everything the template names (`403`); a user with `api.maxConcurrentBuildsPerUser` ' +
        'builds queued or running gets `429 BUILD_LIMIT_REACHED`, one over `api.rateLimits.submitPerUser` `429 RATE_LIMITED`.',
      tags: ['builds'],
      auth: 'bearer',
      headers: SubmitHeadersSchema,
      query: SubmitQuerySchema,
      body: SubmitBodies,
      responses: {
        202: { description: 'Build queued', schema: BuildAcceptedSchema, headers: { Location: 'The build: /v1/builds/{id}' } },
        200: { description: 'Idempotent replay: the build this key already created', schema: BuildAcceptedSchema, headers: { Location: 'The build: /v1/builds/{id}' } },
      },
      problems: [403, 404, 409, 422, 429, 503],
      handle: async ({ headers, query, body }, ctx) => {
        const { user } = ctx;
        let request: CreateBuildRequest;
        if (body.mediaType === 'application/json') {
          const misplaced = Object.keys(query).filter((k) => query[k as keyof typeof query] !== undefined);
          if (misplaced.length > 0) {
            throw requestInvalid(
              misplaced.map((k) => ({ field: `query.${k}`, message: 'only applies to a YAML body: put arguments and options in the JSON body (args, options)' })),
            );
          }
          request = body.value;
        } else {
          request = requestFromYaml(body.value, query);
        }
        const key = headers['idempotency-key'];
        await rateLimits.submit(user.user);
        const target = requestTarget(request);
        // Recorded before anything is queued; without it the request fails (503) and queues nothing.
        await recordAudit(audit, ctx, { action: 'build.submit', outcome: 'started', target });
        let result: Awaited<ReturnType<BuildService['submit']>>;
        try {
          result = await auditingDenials(audit, ctx, 'build', target, () => builds.submit(user, request, key === undefined ? {} : { idempotencyKey: key }));
        } catch (err) {
          if (!isHfitError(err, 'FORBIDDEN')) await recordAuditAfter(audit, ctx, { action: 'build.submit', outcome: 'failure', target, code: isHfitError(err) ? err.code : 'INTERNAL_ERROR' });
          throw err;
        }
        const { view, created } = result;
        await recordAuditAfter(audit, ctx, {
          action: 'build.submit',
          outcome: 'success',
          // The view may not know the package name yet: the submit checks found it.
          ...buildAuditFields({ ...view, packageName: result.packageName ?? view.packageName }),
          ...(created ? {} : { detail: 'idempotent replay of an earlier submit' }),
        });
        const location = { Location: `/v1/builds/${encodeURIComponent(view.id)}` };
        return created ? reply(202, accepted(view), location) : reply(200, accepted(view), location);
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/builds/validate',
      operationId: 'validateBuild',
      summary: 'Check a build request as a submit would, without queueing it',
      description:
        'The same body as `POST /v1/builds`. Answers `200` when the template, its arguments and every source, database, table ' +
        'and volume it names literally are valid, or the problem a submit would get.',
      tags: ['builds'],
      auth: 'bearer',
      query: SubmitQuerySchema,
      body: SubmitBodies,
      responses: { 200: { description: 'The request is valid', schema: BuildValidationSchema } },
      problems: [403, 404, 422, 429, 503],
      handle: async ({ query, body }, ctx) => {
        const request = body.mediaType === 'application/json' ? body.value : requestFromYaml(body.value, query);
        await rateLimits.submit(ctx.user.user);
        return reply(200, await auditingDenials(audit, ctx, 'build', requestTarget(request), () => builds.validate(ctx.user, request)));
      },
    });
    registry.add({
      method: 'get',
      path: '/v1/builds',
      operationId: 'listBuilds',
      summary: 'List builds, newest first',
      description: "The caller's own builds, and those of the users their `builds` grant names.",
      tags: ['builds'],
      auth: 'bearer',
      query: BuildListQuerySchema,
      responses: { 200: { description: 'One page of builds; pass `nextCursor` as `cursor` for the next', schema: BuildListSchema } },
      handle: async ({ query }, { user }) => reply(200, await builds.list(user, query)),
    });
    registry.add({
      method: 'get',
      path: '/v1/builds/:id',
      operationId: 'getBuild',
      summary: 'One build: state, progress, error or artifact',
      tags: ['builds'],
      auth: 'bearer',
      params: BuildIdParamsSchema,
      description: "`404` for another user's build unless the caller's `builds` grant names its owner, as for a build that does not exist.",
      responses: { 200: { description: 'The build', schema: BuildViewSchema } },
      problems: [404],
      handle: async ({ params }, { user }) => reply(200, await builds.get(user, params.id)),
    });
    registry.add({
      method: 'post',
      path: '/v1/builds/:id/cancel',
      operationId: 'cancelBuild',
      summary: 'Ask a queued or running build to stop',
      description:
        'A queued build is cancelled at once; a running one stops at its next checkpoint (`cancelRequestedAt` is set). Own builds ' +
        "with the `build` action, anyone's with `admin` (`403`); a build the caller may not see is `404`.",
      tags: ['builds'],
      auth: 'bearer',
      params: BuildIdParamsSchema,
      responses: { 200: { description: 'The build after the request', schema: BuildViewSchema } },
      problems: [403, 404, 409],
      handle: async ({ params }, ctx) => {
        const view = await auditingDenials(audit, ctx, 'build', params.id, () => builds.cancel(ctx.user, params.id));
        await recordAuditAfter(audit, ctx, { action: 'build.cancel', outcome: 'success', ...buildAuditFields(view) });
        return reply(200, view);
      },
    });
  };
}
