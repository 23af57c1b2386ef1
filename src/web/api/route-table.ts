import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import { ApiError, badParameter } from '../http-errors.js';
import { type ParamShape, queryValues, readParams } from './params.js';

type Params<S extends ParamShape> = z.output<z.ZodMiniObject<S>>;

/**
 * One route of the API as data: what it takes (path, query, body: zod objects), what it answers,
 * and its handler. The router and /openapi.json are both made from these, so what the document
 * says is what the route checks.
 */
export interface RouteSpec<
  P extends ParamShape = ParamShape,
  Q extends ParamShape = ParamShape,
  B extends ParamShape = ParamShape,
> {
  method: 'get' | 'post';
  /** Hono's form: /api/runs/:id */
  path: string;
  summary: string;
  description?: string;
  /** Open without the token (/healthz). */
  open?: boolean;
  params?: z.ZodMiniObject<P>;
  query?: z.ZodMiniObject<Q>;
  /** A JSON or url-encoded body; the query string may give the same fields (the body wins). */
  body?: z.ZodMiniObject<B>;
  /** Replies other than errors: status → what it holds and, where stated, its shape. */
  replies: Partial<Record<ContentfulStatusCode, { description: string; schema?: z.ZodMiniType }>>;
  /** Error statuses this route answers besides 400 (bad parameter) and 401 (token). */
  errors?: ContentfulStatusCode[];
  /** Where the reply is not JSON (/metrics). */
  contentType?: string;
  handle(
    input: { params: Params<P>; query: Params<Q>; body: Params<B> },
    c: Context,
  ): Promise<Response> | Response;
}

/** Declares a route, inferring its parameters' types from its schemas. */
export function route<
  P extends ParamShape = Record<never, never>,
  Q extends ParamShape = Record<never, never>,
  B extends ParamShape = Record<never, never>,
>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const NONE = z.strictObject({});
/** Bodies longer than this are refused: every body of the API is a few fields. */
const MAX_BODY_BYTES = 16 * 1024;

/** Adds the routes to `web`, each reading and checking its parameters before its handler runs. */
export function mount(web: Hono, routes: readonly RouteSpec[]): void {
  // Refused before it is read, by its Content-Length or as it streams in.
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  for (const spec of routes) {
    const method = spec.method.toUpperCase();
    if (spec.body) web.on(method, spec.path, limit);
    web.on(method, spec.path, async (c) => {
      const query = queryValues(c.req.url);
      const params = readParams(spec.params ?? NONE, c.req.param() as Record<string, string>);
      if (!spec.body) {
        return spec.handle({ params, query: readParams(spec.query ?? NONE, query), body: {} }, c);
      }
      const body = readParams(spec.body, { ...query, ...(await readBody(c.req.raw)) });
      return spec.handle({ params, query: {}, body }, c);
    });
  }
}

function tooLarge(): ApiError {
  return new ApiError(413, {
    code: 'too-large',
    message: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
  });
}

/** A small JSON or url-encoded body as fields; no body, no fields. */
async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const text = await request.text();
  if (text.trim() === '') return {};
  if (type === 'application/x-www-form-urlencoded') {
    return queryValues(`http://form/?${text}`);
  }
  if (type !== 'application/json') {
    throw new ApiError(415, {
      code: 'unsupported-body',
      message: 'The body must be JSON (Content-Type: application/json) or a url-encoded form.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badParameter('body', 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badParameter('body', 'must be a JSON object');
  }
  // Numbers and flags are read as the query string gives them, as text.
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, asText(v)]));
}

function asText(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(asText);
  return value;
}
