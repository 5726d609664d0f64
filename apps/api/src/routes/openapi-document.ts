import { STATUS_CODES } from 'node:http';
import { PROBLEM_MEDIA_TYPE, ProblemSchema } from '@hfit/contracts';
import { z } from 'zod';
import type { RouteRegistry } from './route-registry.js';
import type { AnyRouteSpec, ObjectSchema, ResponseSpec } from './route-spec.js';

/** A JSON object of the document. */
export type JsonObject = { [key: string]: unknown };

/** `info` of the document. */
export type OpenApiInfo = {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
};

/** An OpenAPI 3.1 document (loosely typed: it is generated, then served as JSON). */
export interface OpenApiDocument extends JsonObject {
  readonly openapi: string;
  readonly info: OpenApiInfo;
  readonly paths: Record<string, Record<string, JsonObject>>;
  readonly components: { readonly schemas: Record<string, JsonObject>; readonly securitySchemes: Record<string, JsonObject> };
}

const COMPONENTS = '#/components/schemas/';
const BEARER = 'bearerAuth';

/**
 * Conversion options. With a registry of our own, zod no longer reads the global one, where
 * `.describe()` puts descriptions: copy those over.
 */
const OPTIONS = {
  unrepresentable: 'throw',
  cycles: 'ref',
  reused: 'inline',
  override: (ctx: { zodSchema: unknown; jsonSchema: JsonObject }) => {
    const description = z.globalRegistry.get(ctx.zodSchema as z.ZodType)?.description;
    if (description !== undefined && ctx.jsonSchema['description'] === undefined) ctx.jsonSchema['description'] = description;
  },
} as const;

/** Replaces every `$ref` through `rename`, in place. */
function rewriteRefs(node: unknown, rename: (ref: string) => string): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteRefs(item, rename);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as JsonObject;
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$ref' && typeof value === 'string') obj[key] = rename(value);
    else rewriteRefs(value, rename);
  }
}

/**
 * zod -> JSON Schema for the document. Response schemas are converted as zod *outputs* with the
 * registry's named components, request schemas as *inputs* (defaults make fields optional) with
 * everything inline. zod puts shared or recursive parts in `$defs`; those move to
 * `components.schemas` so every `$ref` of the document points there.
 */
class SchemaConverter {
  readonly schemas: Record<string, JsonObject> = {};
  private readonly named = z.registry<{ id: string }>();

  constructor(components: ReadonlyMap<string, z.ZodType>) {
    for (const [id, schema] of components) this.named.add(schema, { id });
  }

  output(schema: z.ZodType): JsonObject {
    return this.hoist(z.toJSONSchema(schema, { ...OPTIONS, metadata: this.named, io: 'output' }) as JsonObject, '');
  }

  input(schema: z.ZodType): JsonObject {
    // An empty registry: ids given to schemas elsewhere (the global registry) must not turn input
    // shapes into refs that collide with the output components of the same name.
    return this.hoist(z.toJSONSchema(schema, { ...OPTIONS, metadata: z.registry(), io: 'input' }) as JsonObject, 'Input');
  }

  private hoist(json: JsonObject, suffix: string): JsonObject {
    const { $schema: _dialect, $defs, ...root } = json;
    const defs = ($defs ?? {}) as Record<string, JsonObject>;
    const names = new Map(Object.keys(defs).map((name) => [name, `${name}${suffix}`] as const));
    const rename = (ref: string): string => {
      const name = ref.startsWith('#/$defs/') ? names.get(ref.slice('#/$defs/'.length)) : undefined;
      return name === undefined ? ref : `${COMPONENTS}${name}`;
    };
    rewriteRefs(root, rename);
    for (const [name, def] of Object.entries(defs)) {
      rewriteRefs(def, rename);
      const target = names.get(name)!;
      const known = this.schemas[target];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(def)) {
        throw new Error(`OpenAPI: two different schemas are both named "${target}"`);
      }
      this.schemas[target] = def;
    }
    return root;
  }
}

/** `/v1/builds/:id` -> `/v1/builds/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(conv: SchemaConverter, where: 'path' | 'query' | 'header', schema: ObjectSchema | undefined): JsonObject[] {
  if (schema === undefined) return [];
  const json = conv.input(schema);
  const required = new Set((json['required'] as string[] | undefined) ?? []);
  return Object.entries((json['properties'] ?? {}) as Record<string, JsonObject>).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof s['description'] === 'string' ? { description: s['description'] } : {}),
    schema: s,
  }));
}

function response(conv: SchemaConverter, r: ResponseSpec): JsonObject {
  const headers = Object.entries(r.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }] as const);
  const content: JsonObject = {};
  if (r.schema !== undefined) content['application/json'] = { schema: conv.output(r.schema) };
  for (const m of r.content ?? []) content[m] = { schema: { type: 'string', contentMediaType: m } };
  return {
    description: r.description,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(Object.keys(content).length === 0 ? {} : { content }),
  };
}

/** Problem statuses a route answers: its own plus those every route of its kind can. */
function problemStatuses(spec: AnyRouteSpec): number[] {
  const s = new Set<number>(spec.problems ?? []);
  if (spec.params !== undefined || spec.query !== undefined || spec.headers !== undefined || spec.body !== undefined) s.add(400);
  if (spec.auth === 'bearer') s.add(401);
  if (spec.body !== undefined) {
    s.add(413);
    s.add(415);
  }
  s.add(500);
  return [...s].sort((a, b) => a - b);
}

function operation(conv: SchemaConverter, spec: AnyRouteSpec): JsonObject {
  const responses: JsonObject = {};
  for (const [status, r] of Object.entries(spec.responses as Record<string, ResponseSpec>)) responses[status] = response(conv, r);
  for (const status of problemStatuses(spec)) {
    responses[String(status)] ??= {
      description: `${STATUS_CODES[status] ?? 'Error'} (problem+json; \`code\` tells which)`,
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${COMPONENTS}Problem` } } },
    };
  }
  const params = [
    ...parameters(conv, 'path', spec.params as ObjectSchema | undefined),
    ...parameters(conv, 'query', spec.query as ObjectSchema | undefined),
    ...parameters(conv, 'header', spec.headers as ObjectSchema | undefined),
  ];
  const bodies = spec.body as Record<string, z.ZodType> | undefined;
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.tags === undefined ? {} : { tags: [...spec.tags] }),
    security: spec.auth === 'bearer' ? [{ [BEARER]: [] }] : [],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(bodies === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: Object.fromEntries(Object.entries(bodies).map(([m, s]) => [m, { schema: conv.input(s) }])),
          },
        }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of every route in `registry`: paths with parameters, bodies and
 * responses from the routes' zod schemas, every problem response referring to the `Problem`
 * component, and bearer authentication on the routes that need it. Throws when a schema cannot be
 * represented in JSON Schema, so call it at start-up.
 */
export function buildOpenApiDocument(registry: RouteRegistry, info: OpenApiInfo): OpenApiDocument {
  const conv = new SchemaConverter(new Map([['Problem', ProblemSchema as z.ZodType], ...registry.componentSchemas]));
  conv.output(ProblemSchema);
  const paths: Record<string, Record<string, JsonObject>> = {};
  const tags = new Set<string>();
  for (const spec of registry.routes) {
    const p = (paths[openApiPath(spec.path)] ??= {});
    p[spec.method] = operation(conv, spec);
    for (const t of spec.tags ?? []) tags.add(t);
  }
  return {
    openapi: '3.1.0',
    info: { ...info },
    ...(tags.size > 0 ? { tags: [...tags].map((name) => ({ name })) } : {}),
    paths,
    components: {
      schemas: conv.schemas,
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          description: "An API token issued by the server's operator: `Authorization: Bearer <token>`.",
        },
      },
    },
  };
}
