import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@hfit/logger';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { requestIdOf } from './request-id.js';

/** Query parameters whose values never reach a log line. */
const SECRET_QUERY = /([?&](?:access_token|token|password|secret)=)[^&#]*/gi;

/** The URL as logged: secret-looking query values masked. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1***');
}

interface SerializedReq {
  readonly method?: string;
  readonly url?: string;
  readonly remoteAddress?: string;
  readonly headers?: Record<string, unknown>;
}

/**
 * One log line per request (pino-http) on the API logger, with `requestId` on every line of the
 * request (`req.log`) and the authenticated `user` on the completion line. Requests are logged
 * with an allow-list of headers: `Authorization`, cookies and any other credential-bearing header
 * never reach the log, whatever the logger's redaction paths.
 */
export function httpLogger(logger: Logger): RequestHandler {
  const middleware = pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req) => requestIdOf(req),
    customProps: (req) => {
      const user = (req as IncomingMessage & { user?: Express.User }).user?.user;
      return user === undefined ? {} : { user };
    },
    customLogLevel: (_req, res, err) => (err !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: SerializedReq) => ({
        method: req.method,
        url: loggableUrl(req.url ?? ''),
        remoteAddress: req.remoteAddress,
        userAgent: req.headers?.['user-agent'],
        contentType: req.headers?.['content-type'],
        contentLength: req.headers?.['content-length'],
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return middleware as unknown as RequestHandler;
}
