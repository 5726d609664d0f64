import { Access } from '@hfit/access';
import { NameSchema, PatchRequestSchema, PatchResultSchema, TemplateListSchema, TemplateTextSchema, TemplateWriteRequestSchema, UploadQuerySchema, UploadReportSchema, UserNameSchema } from '@hfit/contracts';
import { DEFAULT_UPLOAD_MAX_BYTES, type TemplateStore } from '@hfit/template-store';
import { z } from 'zod';
import { YAML_MEDIA_TYPES } from './build-routes.js';
import { preferredMediaType } from './preferred-media-type.js';
import type { RouteModule } from './route-module.js';
import { RESPONSE_SENT, reply } from './route-spec.js';

/** Options of {@link templateRoutes}. */
export interface TemplateRoutesOptions {
  /** Largest upload body (`api.uploadLimitBytes`). */
  readonly uploadLimitBytes: number;
}

/** Media types a bulk upload (`.tar.gz` of `*.yaml`) may be sent as. */
export const TEMPLATE_ARCHIVE_MEDIA_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar+gzip', 'application/octet-stream'] as const;

const TemplateNameParamsSchema = z.object({ name: NameSchema.describe("The template's templateName") });

/** `?owner=` of the read routes: another user's templates, with the `templates` grant. */
const OwnerQuerySchema = z
  .object({
    owner: UserNameSchema.optional().describe("Whose templates (default: the caller's); another user's need a `templates` grant naming them, `404` otherwise"),
  })
  .strict();

const YamlTextSchema = z.string().min(1).max(1024 * 1024).describe('The template (YAML text)');

/** Create and replace: `{text}` as JSON, or the YAML itself. */
const WriteBodies = {
  'application/json': TemplateWriteRequestSchema,
  ...Object.fromEntries(YAML_MEDIA_TYPES.map((m) => [m, YamlTextSchema])),
} as { 'application/json': typeof TemplateWriteRequestSchema } & Record<(typeof YAML_MEDIA_TYPES)[number], typeof YamlTextSchema>;

/** The text a create or replace body carries. */
function textOf(body: { readonly mediaType: string; readonly value: string | { readonly text: string } }): string {
  return typeof body.value === 'string' ? body.value : body.value.text;
}

/** RFC 7396 merge patch (top-level keys), also accepted as plain JSON. */
const PatchBodies = { 'application/merge-patch+json': PatchRequestSchema, 'application/json': PatchRequestSchema };

const ArchiveSchema = z.any().describe('A gzip-compressed tar of *.yaml / *.yml templates').pipe(z.instanceof(Buffer));
const UploadBodies = Object.fromEntries(TEMPLATE_ARCHIVE_MEDIA_TYPES.map((m) => [m, ArchiveSchema])) as Record<(typeof TEMPLATE_ARCHIVE_MEDIA_TYPES)[number], typeof ArchiveSchema>;

/** Where a stored template is read. */
function locationOf(name: string): Record<string, string> {
  return { Location: `/v1/templates/${encodeURIComponent(name)}` };
}

/**
 * The caller's stored templates (each user has their own): list, get (JSON, or the YAML itself
 * with `Accept: application/yaml`), create, replace, patch (top-level merge, answered with a diff),
 * delete, and bulk upload of a `.tar.gz` with a report per file. Builds name a stored template
 * with `templateName` (and `templateOwner` for another user's). Every write is validated by the
 * template parser first. Reads may name another `owner` when the caller's `templates` grant covers
 * them (`404` otherwise); writes always go to the caller's own templates.
 */
export function templateRoutes(store: TemplateStore, options: TemplateRoutesOptions): RouteModule {
  const uploadMaxBytes = Math.max(options.uploadLimitBytes, DEFAULT_UPLOAD_MAX_BYTES);
  return (registry) => {
    registry.components({ TemplateList: TemplateListSchema, TemplateText: TemplateTextSchema, PatchResult: PatchResultSchema, UploadReport: UploadReportSchema });
    registry.add({
      method: 'get',
      path: '/v1/templates',
      operationId: 'listTemplates',
      summary: "The caller's stored templates (or, with `owner`, another user's)",
      tags: ['templates'],
      auth: 'bearer',
      query: OwnerQuerySchema,
      responses: { 200: { description: 'Sorted by name', schema: TemplateListSchema } },
      problems: [404],
      handle: async ({ query }, { user }) => reply(200, { items: await store.listAs(new Access(user.policy), query.owner) }),
    });
    registry.add({
      method: 'get',
      path: '/v1/templates/:name',
      operationId: 'getTemplate',
      summary: 'One stored template',
      description:
        '`{name, text, sha256, updatedAt}` as JSON, or the YAML exactly as stored with `Accept: application/yaml`. With `owner`, ' +
        "another user's (a `templates` grant naming them; `404` otherwise, as for a template that does not exist).",
      tags: ['templates'],
      auth: 'bearer',
      params: TemplateNameParamsSchema,
      query: OwnerQuerySchema,
      responses: { 200: { description: 'The template', schema: TemplateTextSchema, content: YAML_MEDIA_TYPES } },
      problems: [404, 406],
      handle: async ({ params, query }, ctx) => {
        const type = preferredMediaType(ctx, ['application/json', ...YAML_MEDIA_TYPES]);
        const template = await store.getAs(new Access(ctx.user.policy), params.name, query.owner);
        if (type === 'application/json') return reply(200, template);
        ctx.res.status(200).setHeader('Content-Type', `${type}; charset=utf-8`);
        ctx.res.end(template.text);
        return RESPONSE_SENT;
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/templates',
      operationId: 'createTemplate',
      summary: 'Store a new template under its templateName',
      description: 'Send `{text}` as JSON, or the YAML itself. A name the caller already uses is a `409 TEMPLATE_EXISTS`.',
      tags: ['templates'],
      auth: 'bearer',
      body: WriteBodies,
      responses: { 201: { description: 'Stored', schema: TemplateTextSchema, headers: { Location: 'The template: /v1/templates/{name}' } } },
      problems: [409, 422],
      handle: async ({ body }, { user }) => {
        const created = await store.create(user.user, textOf(body));
        return reply(201, created, locationOf(created.name));
      },
    });
    registry.add({
      method: 'put',
      path: '/v1/templates/:name',
      operationId: 'updateTemplate',
      summary: 'Replace the text of a stored template',
      description: "The text's templateName must be `name` (`422 TEMPLATE_NAME_MISMATCH`): renaming is a create and a delete.",
      tags: ['templates'],
      auth: 'bearer',
      params: TemplateNameParamsSchema,
      body: WriteBodies,
      responses: { 200: { description: 'Stored', schema: TemplateTextSchema } },
      problems: [404, 422],
      handle: async ({ params, body }, { user }) => reply(200, await store.update(user.user, params.name, textOf(body))),
    });
    registry.add({
      method: 'patch',
      path: '/v1/templates/:name',
      operationId: 'patchTemplate',
      summary: 'Merge top-level keys into a stored template',
      description:
        'An RFC 7396 merge patch of the top level: each key replaces the whole value, `null` removes the key. Comments and ' +
        'the order of untouched keys are kept. Answers the stored template and a diff, one entry per key that changed.',
      tags: ['templates'],
      auth: 'bearer',
      params: TemplateNameParamsSchema,
      body: PatchBodies,
      responses: { 200: { description: 'The template after the patch, and what changed', schema: PatchResultSchema } },
      problems: [404, 422],
      handle: async ({ params, body }, { user }) => reply(200, await store.patch(user.user, params.name, body.value)),
    });
    registry.add({
      method: 'delete',
      path: '/v1/templates/:name',
      operationId: 'deleteTemplate',
      summary: 'Remove a stored template',
      tags: ['templates'],
      auth: 'bearer',
      params: TemplateNameParamsSchema,
      responses: { 204: { description: 'Removed' } },
      problems: [404],
      handle: async ({ params }, { user }) => {
        await store.delete(user.user, params.name);
        return reply(204, undefined);
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/templates/upload',
      operationId: 'uploadTemplates',
      summary: 'Store every template of a .tar.gz, with a report per file',
      description:
        'The archive is read in full before anything is stored, so a corrupt one stores nothing (`400 UPLOAD_INVALID`). Then each ' +
        '`*.yaml`/`*.yml` file is validated and stored on its own: `created`, `updated` (with `overwrite=true`), `unchanged`, ' +
        '`skipped` (not a template file) or `error` with the reason (invalid, a name used twice, or stored with another text ' +
        'without `overwrite`).',
      tags: ['templates'],
      auth: 'bearer',
      query: UploadQuerySchema,
      body: UploadBodies,
      bodyLimitBytes: options.uploadLimitBytes,
      responses: { 200: { description: 'One line per archive entry, in archive order, and the count per status', schema: UploadReportSchema } },
      handle: async ({ query, body }, { user }) => reply(200, await store.upload(user.user, body.value, { overwrite: query.overwrite, maxBytes: uploadMaxBytes })),
    });
  };
}
