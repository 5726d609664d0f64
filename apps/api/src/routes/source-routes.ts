import { databaseExists, listDatabases, listSources, listTables, previewRows, sourceExists, tableExists } from '@hfit/browse';
import type { LoadedServerConfig } from '@hfit/config';
import type { AuditSink } from '@hfit/contracts';
import { DatabaseListSchema, RowsPreviewQuerySchema, RowsPreviewSchema, SourceListSchema, TableInfoSchema, TableListSchema } from '@hfit/contracts';
import type { PreviewRow } from '@hfit/contracts';
import { DatabaseParamsSchema, SourceParamsSchema, TableParamsSchema } from './browse-params.js';
import { clientGoneSignal } from './client-gone-signal.js';
import { preferredMediaType } from './preferred-media-type.js';
import { withQueryFields } from './query-field-errors.js';
import { accessOf, auditingDenials, filterSha256, recordAudit, recordAuditAfter } from './route-audit.js';
import type { RouteModule } from './route-module.js';
import { RESPONSE_SENT, reply } from './route-spec.js';
import { NDJSON_MEDIA_TYPE, sendNdjson } from './send-ndjson.js';

/** What {@link sourceRoutes} records to. */
export interface SourceRoutesDeps {
  /** `browse.rows` for every rows read, `access.denied` for every refusal. */
  readonly audit: AuditSink;
}

/** Counts what passes through an async iterable. */
function counting<T>(items: AsyncIterable<T>, counter: { n: number }): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of items) {
        counter.n++;
        yield item;
      }
    },
  };
}

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
 * bound as parameters), with the caller's access: listing needs the `browse` action and shows only
 * what the `tables` grant could cover; rows need the `rows` action and the table granted. Refusals
 * (`403`) come before any connection to the source is opened, and are audited.
 */
export function sourceRoutes(config: Pick<LoadedServerConfig, 'sources'>, deps: SourceRoutesDeps): RouteModule {
  const { audit } = deps;
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
      responses: { 200: { description: 'The sources the caller may browse', schema: SourceListSchema } },
      problems: [403],
      handle: async (_input, ctx) => auditingDenials(audit, ctx, 'browse', 'sources', async () => reply(200, listSources(config, accessOf(ctx)))),
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
      problems: [403],
      handle: async ({ params }, ctx) => auditingDenials(audit, ctx, 'browse', params.source, async () => exists(sourceExists(config, params.source, accessOf(ctx)))),
    });
    registry.add({
      method: 'get',
      path: '/v1/sources/:source/databases',
      operationId: 'listDatabases',
      summary: 'The databases (MySQL/MariaDB) or schemas (PostgreSQL) of a source that hfit may read',
      tags: ['browse'],
      auth: 'bearer',
      params: SourceParamsSchema,
      responses: { 200: { description: 'Database names, sorted (those the caller may browse)', schema: DatabaseListSchema } },
      problems: [403, 422, 503],
      handle: async ({ params }, ctx) =>
        auditingDenials(audit, ctx, 'browse', params.source, async () => reply(200, await listDatabases(config, params.source, { access: accessOf(ctx) }))),
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
      problems: [403, 503],
      handle: async ({ params }, ctx) =>
        auditingDenials(audit, ctx, 'browse', `${params.source}/${params.database}`, async () =>
          exists(await databaseExists(config, params.source, params.database, { access: accessOf(ctx) })),
        ),
    });
    registry.add({
      method: 'get',
      path: '/v1/sources/:source/databases/:database/tables',
      operationId: 'listTables',
      summary: 'The tables of a database: columns, primary key, foreign keys',
      tags: ['browse'],
      auth: 'bearer',
      params: DatabaseParamsSchema,
      responses: { 200: { description: 'Base tables the caller has a grant on, sorted by name', schema: TableListSchema } },
      problems: [403, 422, 503],
      handle: async ({ params }, ctx) =>
        auditingDenials(audit, ctx, 'browse', `${params.source}/${params.database}`, async () =>
          reply(200, await listTables(config, params.source, params.database, { access: accessOf(ctx) })),
        ),
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
      problems: [403, 503],
      handle: async ({ params }, ctx) =>
        auditingDenials(audit, ctx, 'browse', `${params.source}/${params.database}/${params.table}`, async () =>
          exists(await tableExists(config, params.source, params.database, params.table, { access: accessOf(ctx) })),
        ),
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
        'JSON by default; NDJSON (one row object per line, streamed) with `Accept: application/x-ndjson` or `format=ndjson`. ' +
        'Needs the `rows` action and a grant on the table (`403` before any connection is opened otherwise). Every read is ' +
        'audited (`browse.rows`: the table, the sha256 of the filter, the rows returned).',
      tags: ['browse'],
      auth: 'bearer',
      params: TableParamsSchema,
      query: RowsPreviewQuerySchema,
      responses: {
        200: { description: 'The rows: `{columns, rows}` as JSON, or one row object per line as NDJSON', schema: RowsPreviewSchema, content: [NDJSON_MEDIA_TYPE] },
      },
      problems: [403, 406, 422, 503],
      handle: async ({ params, query }, ctx) => {
        const format = query.format ?? (preferredMediaType(ctx, ['application/json', NDJSON_MEDIA_TYPE]) === NDJSON_MEDIA_TYPE ? 'ndjson' : 'json');
        const signal = clientGoneSignal(ctx.res);
        const target = `${params.source}/${params.database}/${params.table}`;
        const request = { source: params.source, database: params.database, table: params.table, filter: query.filter, limit: query.limit };
        const preview = await auditingDenials(audit, ctx, 'rows', target, () =>
          withQueryFields(['filter', 'limit'], () => previewRows(config, request, { signal, access: accessOf(ctx) })),
        );
        const counter = { n: 0 };
        let outcome: 'success' | 'failure' = 'failure';
        const filter = query.filter?.trim() ? { filterSha256: filterSha256(query.filter) } : {};
        try {
          // Recorded before any row leaves; without it the request fails (503) and sends nothing.
          await recordAudit(audit, ctx, { action: 'browse.rows', outcome: 'started', target, ...filter });
          const rows = counting(preview.rows, counter);
          if (format === 'ndjson') {
            await sendNdjson(ctx, rows, { signal, what: `rows of ${params.database}.${params.table}` });
            outcome = ctx.res.writableEnded ? 'success' : 'failure';
            return RESPONSE_SENT;
          }
          const list: PreviewRow[] = [];
          for await (const row of rows) list.push(row);
          outcome = 'success';
          return reply(200, { columns: [...preview.columns], rows: list });
        } finally {
          await preview.close();
          await recordAuditAfter(audit, ctx, { action: 'browse.rows', outcome, target, rows: counter.n, ...filter });
        }
      },
    });
  };
}
