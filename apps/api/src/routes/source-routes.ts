import { databaseExists, listDatabases, listSources, listTables, previewRows, sourceExists, tableExists } from '@hfit/browse';
import type { LoadedServerConfig } from '@hfit/config';
import { DatabaseListSchema, RowsPreviewQuerySchema, RowsPreviewSchema, SourceListSchema, TableInfoSchema, TableListSchema } from '@hfit/contracts';
import type { PreviewRow } from '@hfit/contracts';
import { DatabaseParamsSchema, SourceParamsSchema, TableParamsSchema } from './browse-params.js';
import { clientGoneSignal } from './client-gone-signal.js';
import { preferredMediaType } from './preferred-media-type.js';
import { withQueryFields } from './query-field-errors.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';
import { NDJSON_MEDIA_TYPE, sendNdjson } from './send-ndjson.js';

/** Answers of the `HEAD` existence checks. */
const EXISTS = { 200: { description: 'It exists' }, 404: { description: 'It does not exist (no body)' } } as const;

/** `200` or `404`, no body. */
function exists(found: boolean) {
  return found ? reply(200, undefined) : reply(404, undefined);
}

/**
 * Browsing the configured database sources: `GET /v1/sources`, the databases of a source, the
 * tables of a database (columns, keys), the first rows of a table (JSON, or NDJSON streamed with
 * backpressure), and `HEAD` existence checks for a source, database and table. Every read goes
 * through `@hfit/browse` (read-only snapshot sessions, identifier allow-list, validated filters
 * bound as parameters).
 */
export function sourceRoutes(config: Pick<LoadedServerConfig, 'sources'>): RouteModule {
  return (registry) => {
    registry.components({ SourceList: SourceListSchema, TableInfo: TableInfoSchema, TableList: TableListSchema, RowsPreview: RowsPreviewSchema });
    registry.add({
      method: 'get',
      path: '/v1/sources',
      operationId: 'listSources',
      summary: 'The configured database sources',
      description: 'Name and type of each, in configuration order; hosts and credentials are never shown.',
      tags: ['browse'],
      auth: 'bearer',
      responses: { 200: { description: 'The sources', schema: SourceListSchema } },
      handle: async () => reply(200, listSources(config)),
    });
    registry.add({
      method: 'head',
      path: '/v1/sources/:source',
      operationId: 'sourceExists',
      summary: 'Whether a source is configured',
      tags: ['browse'],
      auth: 'bearer',
      params: SourceParamsSchema,
      responses: EXISTS,
      handle: async ({ params }) => exists(sourceExists(config, params.source)),
    });
    registry.add({
      method: 'get',
      path: '/v1/sources/:source/databases',
      operationId: 'listDatabases',
      summary: 'The databases (MySQL/MariaDB) or schemas (PostgreSQL) of a source that hfit may read',
      tags: ['browse'],
      auth: 'bearer',
      params: SourceParamsSchema,
      responses: { 200: { description: 'Database names, sorted', schema: DatabaseListSchema } },
      problems: [422, 503],
      handle: async ({ params }) => reply(200, await listDatabases(config, params.source)),
    });
    registry.add({
      method: 'head',
      path: '/v1/sources/:source/databases/:database',
      operationId: 'databaseExists',
      summary: 'Whether a database (schema) is readable on a source',
      tags: ['browse'],
      auth: 'bearer',
      params: DatabaseParamsSchema,
      responses: EXISTS,
      problems: [503],
      handle: async ({ params }) => exists(await databaseExists(config, params.source, params.database)),
    });
    registry.add({
      method: 'get',
      path: '/v1/sources/:source/databases/:database/tables',
      operationId: 'listTables',
      summary: 'The tables of a database: columns, primary key, foreign keys',
      tags: ['browse'],
      auth: 'bearer',
      params: DatabaseParamsSchema,
      responses: { 200: { description: 'Base tables, sorted by name', schema: TableListSchema } },
      problems: [422, 503],
      handle: async ({ params }) => reply(200, await listTables(config, params.source, params.database)),
    });
    registry.add({
      method: 'head',
      path: '/v1/sources/:source/databases/:database/tables/:table',
      operationId: 'tableExists',
      summary: 'Whether a base table exists in a readable database',
      tags: ['browse'],
      auth: 'bearer',
      params: TableParamsSchema,
      responses: EXISTS,
      problems: [503],
      handle: async ({ params }) => exists(await tableExists(config, params.source, params.database, params.table)),
    });
    registry.add({
      method: 'get',
      path: '/v1/sources/:source/databases/:database/tables/:table/rows',
      operationId: 'previewRows',
      summary: 'The first rows of a table, optionally filtered',
      description:
        'Rows in primary-key order, each value as the server prints it (`null`, `{"$binary": base64}` for binary). ' +
        '`filter` is a condition in the template syntax (`WHERE` optional); it is parsed, checked against the ' +
        "table's columns and rebuilt with bound values before anything is sent: subqueries, functions outside a " +
        'small allow-list, comments and several statements are refused (`422 FILTER_REJECTED`, `FILTER_SYNTAX`). ' +
        'JSON by default; NDJSON (one row object per line, streamed) with `Accept: application/x-ndjson` or `format=ndjson`.',
      tags: ['browse'],
      auth: 'bearer',
      params: TableParamsSchema,
      query: RowsPreviewQuerySchema,
      responses: {
        200: { description: 'The rows: `{columns, rows}` as JSON, or one row object per line as NDJSON', schema: RowsPreviewSchema, content: [NDJSON_MEDIA_TYPE] },
      },
      problems: [406, 422, 503],
      handle: async ({ params, query }, ctx) => {
        const format = query.format ?? (preferredMediaType(ctx, ['application/json', NDJSON_MEDIA_TYPE]) === NDJSON_MEDIA_TYPE ? 'ndjson' : 'json');
        const signal = clientGoneSignal(ctx.res);
        const request = { source: params.source, database: params.database, table: params.table, filter: query.filter, limit: query.limit };
        const preview = await withQueryFields(['filter', 'limit'], () => previewRows(config, request, { signal }));
        try {
          if (format === 'ndjson') return await sendNdjson(ctx, preview.rows, { signal, what: `rows of ${params.database}.${params.table}` });
          const rows: PreviewRow[] = [];
          for await (const row of preview.rows) rows.push(row);
          return reply(200, { columns: [...preview.columns], rows });
        } finally {
          await preview.close();
        }
      },
    });
  };
}
