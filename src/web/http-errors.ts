import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ChartkeeperError, type ErrorCode } from '../domain/errors.js';

/** The JSON body of every error the API answers: what went wrong, which parameter, what to do. */
export interface ApiErrorBody {
  error: { code: string; message: string; parameter?: string; hint?: string };
}

/** An error that carries its HTTP status and JSON body (thrown by routes, answered in one place). */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly body: ApiErrorBody['error'],
    /** Headers the reply must carry (WWW-Authenticate with a 401). */
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message: body.message });
  }
}

/** A bad request parameter: 400 naming it. */
export function badParameter(parameter: string, message: string): ApiError {
  return new ApiError(400, {
    code: 'bad-parameter',
    parameter,
    message: `${parameter}: ${message}`,
  });
}

/** Something asked for that does not exist: 404. */
export function notFound(message: string, hint?: string): ApiError {
  return new ApiError(404, { code: 'not-found', message, ...(hint ? { hint } : {}) });
}

// What a use case's error means for HTTP. Anything not listed is the server's (500) or a
// service it depends on (503).
const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  usage: 400,
  config: 400,
  'import-invalid': 400,
  'chart-file-invalid': 400,
  'not-found': 404,
  'spotify-not-found': 404,
  'chart-busy': 409,
  'store-unavailable': 503,
  'store-auth': 503,
  'queue-unreachable': 503,
  'no-serve': 503,
};

/** The status and body an error is answered with; unknown errors say nothing of their insides. */
export function errorReply(error: unknown): {
  status: ContentfulStatusCode;
  body: ApiErrorBody;
  headers?: Record<string, string>;
} {
  if (error instanceof ApiError) {
    return { status: error.status, body: { error: error.body }, headers: error.headers };
  }
  if (error instanceof ChartkeeperError) {
    const status = STATUS[error.code] ?? (error.code.startsWith('store') ? 503 : 500);
    return {
      status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
        },
      },
    };
  }
  if (error instanceof HTTPException) {
    return {
      status: error.status,
      body: { error: { code: 'http', message: error.message || 'bad request' } },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: 'chartkeeper failed to answer this request; the serve log says why.',
      },
    },
  };
}

/** Whether a request is for the JSON API (errors as JSON) rather than a page (errors as HTML). */
export function wantsJson(c: Context): boolean {
  const path = c.req.path;
  return (
    path.startsWith('/api/') ||
    path === '/api' ||
    path.endsWith('.json') ||
    path === '/metrics' ||
    path === '/healthz' ||
    path === '/readyz'
  );
}
