import * as z from 'zod/mini';
import type { ChartKey } from '../../domain/chart.js';
import { isChartDate } from '../../domain/chart-date.js';
import { parseChartKey } from '../../domain/chart-ref.js';
import { parseTrackId } from '../../domain/track-ref.js';
import { badParameter } from '../http-errors.js';

/*
 * The request parameters of the API, as zod schemas: the routes validate with them and
 * /openapi.json describes them (z.toJSONSchema), so the two cannot drift apart. Every string is
 * bounded and refuses control characters and broken UTF-16, so hostile input is a 400 naming the
 * parameter, never a failure further in.
 */

/** A request value as sent: text, or several texts when the parameter is repeated. */
type Raw = string | string[];

// Control characters (NUL included) have no place in any parameter; lone surrogates are text
// that cannot be encoded.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The longest artist id or name the API and the artist pages take: chart files bound no name,
 * and a name the pages link must be one the routes answer (pages link no longer one).
 */
export const MAX_ARTIST = 1000;

/** Plain text of at most `max` characters. */
export function text(max: number, description: string) {
  return z.string({ error: 'must be text' }).check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL.test(value), 'must not contain control characters'),
    z.refine((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode'),
    z.describe(description),
  );
}

/** A chart key as the CLI's --chart takes it: an official chart id, a playlist id, URI or link. */
export function chartKeyParam(description: string) {
  return z.pipe(
    text(300, description).check(
      z.refine(
        (value) => parseChartKey(value) !== null,
        'must be an official chart id such as regional-global-daily, or a Spotify playlist id, URI or link (optionally prefixed with its source: spotify-charts/…, spotify-playlist/…)',
      ),
    ),
    z.transform((value: string): ChartKey => parseChartKey(value) as ChartKey),
  );
}

/** A chart date, YYYY-MM-DD. */
export function dateParam(description: string) {
  return text(10, description).check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
    z.refine(isChartDate, 'must be a date that exists'),
  );
}

/** A whole number from `min` to `max`, sent as text. */
export function countParam(min: number, max: number, description: string) {
  return z.pipe(
    text(12, description).check(
      z.regex(/^\d+$/, `must be a whole number from ${min} to ${max}`),
      z.refine((value) => {
        const n = Number(value);
        return n >= min && n <= max;
      }, `must be a whole number from ${min} to ${max}`),
    ),
    z.transform(Number),
  );
}

/** One of a few words. */
export function oneOfParam<const T extends readonly [string, ...string[]]>(
  values: T,
  description: string,
) {
  return z
    .enum(values, { error: `must be one of ${values.join(', ')}` })
    .check(z.describe(description));
}

/** A flag: `true` or `false` (`1` / `0`). */
export function flagParam(description: string) {
  return z.pipe(
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .check(z.describe(description)),
    z.transform((value: 'true' | 'false' | '1' | '0') => value === 'true' || value === '1'),
  );
}

/** A list: the parameter repeated, or values separated by commas (at most `max` of them). */
export function listParam<T extends z.ZodMiniType<unknown, string>>(
  item: T,
  max: number,
  description: string,
) {
  return z.pipe(
    z
      .union([z.string(), z.array(z.string())], { error: 'must be text or a list of texts' })
      .check(z.describe(description)),
    z.pipe(
      z.transform((value: string | string[]) =>
        (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()),
      ),
      z
        .array(item)
        .check(
          z.minLength(1, 'must name at least one'),
          z.maxLength(max, `must name at most ${max}`),
        ),
    ),
  );
}

/** A track id, spotify:track: URI or open.spotify.com link. */
export function trackIdParam(description: string) {
  return z.pipe(
    text(300, description).check(
      z.refine(
        (value) => parseTrackId(value) !== null,
        'must be a Spotify track id (22 letters and digits), spotify:track: URI or link',
      ),
    ),
    z.transform((value: string) => parseTrackId(value) as string),
  );
}

/** The parameters of one part of a request (path, query or body), as a strict object. */
export type ParamShape = Record<string, z.ZodMiniType>;

/**
 * Reads one part of a request with its schema; the first problem answers 400 naming the
 * parameter (an unknown parameter is a problem too: a misspelt filter must not be ignored).
 */
export function readParams<S extends ParamShape>(
  schema: z.ZodMiniObject<S>,
  raw: Record<string, unknown>,
): z.output<z.ZodMiniObject<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // An unknown parameter first: it is likely the misspelling of one reported missing.
  const issues = parsed.error.issues as z.core.$ZodIssue[];
  const issue =
    issues.find((i) => i.code === 'unrecognized_keys') ?? (issues[0] as z.core.$ZodIssue);
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '?';
    throw badParameter(
      printable(name),
      `is not a parameter of this route (it takes ${Object.keys(schema.def.shape).join(', ') || 'none'})`,
    );
  }
  const name = String(issue.path[0] ?? 'body');
  const missing = issue.code === 'invalid_type' && raw[name] === undefined;
  throw badParameter(name, missing ? 'is required' : issue.message);
}

/** One text value checked as the API checks its parameters (a 400 naming it when wrong). */
export function checkText(name: string, value: string, max: number): string {
  return readParams(z.object({ [name]: text(max, name) }), { [name]: value })[name] as string;
}

/** The query string as parameters: a value, or a list when repeated. */
export function queryValues(url: string): Record<string, Raw> {
  const values = new Map<string, Raw>();
  for (const [name, value] of new URL(url).searchParams) {
    const seen = values.get(name);
    values.set(
      name,
      seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value],
    );
  }
  // fromEntries makes own properties of every name, `__proto__` included.
  return Object.fromEntries(values);
}

/** A name from a request, safe to quote in an error: short, without control characters. */
function printable(name: string): string {
  const cleaned = name.replace(new RegExp(CONTROL.source, 'g'), '?').slice(0, 60);
  return LONE_SURROGATE.test(cleaned) ? '?' : cleaned;
}

/** Whether a value passes as `text(max)`: a link made of it leads to a page that answers. */
export function isPlainText(value: string, max: number): boolean {
  return value.length <= max && !CONTROL.test(value) && !LONE_SURROGATE.test(value);
}

/** The `chart` of every route that takes one. */
export const chart = chartKeyParam(
  'A chart: an official chart id (regional-global-daily), a playlist id, URI or link.',
);
