import * as z from 'zod/mini';
import { VERSION } from '../../lib/version.js';
import { SESSION_COOKIE } from '../security.js';
import type { ParamShape } from './params.js';
import type { RouteSpec } from './route-table.js';

type JsonSchema = Record<string, unknown>;

/** The JSON body of every error (see http-errors.ts), described once for the document. */
const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    parameter: z.optional(z.string()),
    hint: z.optional(z.string()),
  }),
});

const ERROR_MEANINGS: Record<number, string> = {
  400: 'A parameter is missing or bad; `error.parameter` names it.',
  401: 'The token is needed (Authorization: Bearer, or the session cookie of /login).',
  403: 'Refused: a cross-site request that would change something, or a host name other than this machine.',
  404: 'Nothing of that name or date is stored.',
  413: 'The body is too large.',
  415: 'The body is neither JSON nor a url-encoded form.',
  503: 'The store or the queue does not answer.',
};

/** What a zod schema accepts, as JSON Schema (the form a request sends). */
function schemaOf(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query', shape: z.ZodMiniObject<ParamShape> | undefined) {
  const schema = shape ? schemaOf(shape) : {};
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * The OpenAPI 3.1 document of the routes, made from the very schemas that check their
 * parameters: what it says a route takes is what the route accepts.
 */
export function openApiDocument(routes: readonly RouteSpec[]): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, reply] of Object.entries(spec.replies)) {
      if (!reply) continue;
      const type = spec.contentType ?? 'application/json';
      responses[status] = {
        description: reply.description,
        content: { [type]: { schema: reply.schema ? schemaOf(reply.schema) : {} } },
      };
    }
    const errors = new Set([
      // Every route reads its path and query with strict schemas (mount): an unknown query
      // parameter is refused with 400 even on a route that takes none.
      400,
      ...(spec.open ? [] : [401]),
      ...(spec.method === 'post' ? [403] : []),
      ...(spec.body ? [413, 415] : []),
      ...(spec.errors ?? []),
    ]);
    for (const status of errors) {
      if (responses[status]) continue;
      responses[status] = {
        description: ERROR_MEANINGS[status] ?? 'An error.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.open ? { security: [] } : {}),
      parameters: [...parameters('path', spec.params), ...parameters('query', spec.query)],
      ...(spec.body
        ? {
            requestBody: {
              required: false,
              description: 'Or the same fields in the query string.',
              content: {
                'application/json': { schema: schemaOf(spec.body) },
                'application/x-www-form-urlencoded': { schema: schemaOf(spec.body) },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'chartkeeper',
      version: VERSION,
      description:
        'The HTTP API of `chartkeeper serve`. When CHARTKEEPER_UI_TOKEN is set, every route but /healthz needs it.',
    },
    components: {
      schemas: { Error: schemaOf(errorBody) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'CHARTKEEPER_UI_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
