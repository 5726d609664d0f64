import { z } from 'zod';
import type { OpenApiDocument } from './openapi-document.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** Enough of the document's shape to catch a broken one; the rest passes through unchanged. */
const OpenApiDocumentSchema = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) });

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every route. `document` is read per request
 * because the document describes routes registered after this one (it is built once all modules
 * are in).
 */
export function openApiRoutes(document: () => OpenApiDocument): RouteModule {
  return (registry) => {
    registry.add({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI 3.1 document',
      tags: ['meta'],
      auth: 'public',
      responses: { 200: { description: 'The OpenAPI document', schema: OpenApiDocumentSchema } },
      handle: async () => reply(200, document()),
    });
  };
}
