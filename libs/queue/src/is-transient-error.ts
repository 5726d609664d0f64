import { isHfitError } from '@hfit/contracts';

/** Node/undici/driver error codes of failures that a later attempt can get past. */
const TRANSIENT_CODES = new Set([
  // Node sockets and DNS
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  // undici (fetch)
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // PostgreSQL SQLSTATEs: serialization failure, deadlock, too many connections, admin shutdown,
  // crash shutdown, cannot connect now
  '40001',
  '40P01',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);

/** Error names of timeouts and aborted requests (AbortSignal.timeout, AWS SDK, ioredis). */
const TRANSIENT_NAMES = new Set(['TimeoutError', 'MaxRetriesPerRequestError']);

/**
 * Programming errors: the next attempt runs the same code on the same input and fails the same
 * way, so retrying only delays the failure.
 */
const PERMANENT_NAMES = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'UnrecoverableError']);

/**
 * Whether retrying the job may help. Processors throw what they caught; `toJobFailure` uses this
 * to turn permanent failures into BullMQ `UnrecoverableError` (no retries).
 *
 * - {@link HfitError}: its `permanent` flag decides (`SOURCE_UNREACHABLE` is transient by default).
 * - Connection resets/refusals, DNS hiccups, timeouts, deadlocks, "too many connections",
 *   PostgreSQL class 08 (connection exception), AWS SDK `$retryable` and HTTP 5xx/429: transient.
 * - `TypeError` and other programming errors, `UnrecoverableError`: permanent.
 * - Anything else is treated as transient: attempts are bounded (3), and failing a nightly
 *   snapshot on an unclassified network error costs more than two wasted retries.
 * `cause` chains and `AggregateError` members (Node's happy-eyeballs connect) are inspected too.
 */
export function isTransientError(err: unknown): boolean {
  return classify(err, 0) !== 'permanent';
}

type Verdict = 'transient' | 'permanent' | 'unknown';

function classify(err: unknown, depth: number): Verdict {
  if (depth > 8 || typeof err !== 'object' || err === null) return 'unknown';
  if (isHfitError(err)) return err.permanent ? 'permanent' : 'transient';
  const e = err as {
    name?: unknown;
    code?: unknown;
    errno?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
    errors?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined && (TRANSIENT_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return 'transient';
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return 'transient';
  if (e.$retryable !== undefined && e.$retryable !== null) return 'transient';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return 'transient';
  if (e.cause !== undefined) {
    const inner = classify(e.cause, depth + 1);
    if (inner !== 'unknown') return inner;
  }
  if (Array.isArray(e.errors)) {
    const verdicts = e.errors.map((x) => classify(x, depth + 1));
    if (verdicts.includes('transient')) return 'transient';
    if (verdicts.includes('permanent')) return 'permanent';
  }
  if (typeof e.name === 'string' && PERMANENT_NAMES.has(e.name)) return 'permanent';
  return 'unknown';
}
