import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type * as z from 'zod/mini';
import { ChartkeeperError } from '../domain/errors.js';
import { plainIssue } from '../lib/describe-issues.js';
import { credentialsFileOf } from './credentials-path.js';
import { type Config, configSchema } from './schema.js';
import { resolvePath } from './store-setting.js';

/** Config file names looked for in the working directory, in this order. */
export const CONFIG_FILES = [
  'chartkeeper.config.json',
  'chartkeeper.config.yaml',
  'chartkeeper.config.yml',
];

/** Environment variables and the config key each one sets; the environment wins over the file. */
export const ENVIRONMENT_KEYS = {
  SPOTIFY_CLIENT_ID: ['spotify', 'clientId'],
  SPOTIFY_CLIENT_SECRET: ['spotify', 'clientSecret'],
  SPOTIFY_API_URL: ['spotify', 'apiUrl'],
  SPOTIFY_ACCOUNTS_URL: ['spotify', 'accountsUrl'],
  SPOTIFY_MARKET: ['spotify', 'market'],
  CHARTKEEPER_STORE: ['store'],
  CHARTKEEPER_OUTBOX: ['outbox'],
  CHARTKEEPER_TIMEZONE: ['timezone'],
  CHARTKEEPER_SCHEDULE: ['schedule'],
  CHARTKEEPER_QUEUE: ['queue', 'url'],
  CHARTKEEPER_INBOX: ['inbox', 'dir'],
  CHARTKEEPER_HOST: ['web', 'host'],
  CHARTKEEPER_PORT: ['web', 'port'],
  CHARTKEEPER_UI_TOKEN: ['web', 'token'],
  CHARTKEEPER_ALERT_WEBHOOK: ['alerts', 'webhook'],
  CHARTKEEPER_LOG_LEVEL: ['log', 'level'],
  CHARTKEEPER_LOG_FORMAT: ['log', 'format'],
  CHARTKEEPER_AUTH_FILE: ['auth', 'file'],
  SPOTIFY_REFRESH_TOKEN: ['auth', 'refreshToken'],
} as const satisfies Record<string, readonly string[]>;

/** A bad or missing setting: the CLI prints it as one line and exits with code 2. */
export class ConfigError extends ChartkeeperError {
  constructor(message: string, hint?: string) {
    super('config', message, { hint: hint ?? null, permanent: true });
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: Config;
  /** The config file that was read, if any. */
  file: string | null;
  /** Things worth saying that do not stop the program (a misspelt environment variable). */
  warnings: string[];
}

/**
 * Reads the config file (if any) and the environment, validates them once, and returns one typed
 * object. Paths (the SQLite store, the outbox) come back absolute: relative ones are read from
 * `cwd`, and `~/` is the home directory.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): LoadedConfig {
  const file = findConfigFile(env, cwd);
  const raw = file ? readConfigFile(file) : {};
  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENVIRONMENT_KEYS)) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    setPath(raw, path, value.trim());
    fromEnv.set(path.join('.'), name);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw describeIssue(parsed.error.issues, file, fromEnv);
  const config = parsed.data;
  if (config.store.kind === 'sqlite') config.store.path = resolvePath(config.store.path, cwd);
  config.outbox = resolvePath(config.outbox, cwd);
  config.auth.file = credentialsFileOf(config.auth.file, env, cwd);
  return { config, file, warnings: misspeltEnvironment(env) };
}

/**
 * Environment variables that look like a misspelt setting (CHARTKEEPER_STOER): they would be
 * ignored silently, the setting left at its default.
 */
function misspeltEnvironment(env: NodeJS.ProcessEnv): string[] {
  const known = [...Object.keys(ENVIRONMENT_KEYS), 'CHARTKEEPER_CONFIG'];
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (!/^(CHARTKEEPER|SPOTIFY)_/.test(name) || known.includes(name)) continue;
    const near = closest(name, known);
    if (distance(name, near) <= 2) {
      warnings.push(`${name} is not a chartkeeper setting and is ignored; did you mean ${near}?`);
    }
  }
  return warnings;
}

function findConfigFile(env: NodeJS.ProcessEnv, cwd: string): string | null {
  const explicit = env.CHARTKEEPER_CONFIG?.trim();
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new ConfigError(
        `CHARTKEEPER_CONFIG points to ${path}, which does not exist`,
        'Create the file or unset CHARTKEEPER_CONFIG to use chartkeeper.config.json in this directory.',
      );
    }
    return path;
  }
  for (const name of CONFIG_FILES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return null;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const format = path.endsWith('.json') ? 'JSON' : 'YAML';
    // The first line says what and where; the library's excerpt of the file follows it.
    const reason = (error as Error).message.split('\n')[0]?.replace(/:$/, '');
    throw new ConfigError(`config file ${path} is not valid ${format}: ${reason}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      `config file ${path} must hold an object of settings, not ${Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

// The YAML parser is loaded only for YAML files: most runs read JSON or no file, and start-up time counts.
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  // Warnings (an unknown tag such as !!js/function) would be printed raw by the library; the
  // value then simply fails validation with a clear line.
  return yaml.parse(text, { logLevel: 'error' });
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** The first problem, or every unknown setting at once (typos come in groups). */
function describeIssue(
  issues: readonly z.core.$ZodIssue[],
  file: string | null,
  fromEnv: Map<string, string>,
): ConfigError {
  const issue = issues[0];
  if (!issue) return new ConfigError('invalid configuration');
  const key = issue.path.join('.');
  const envName = fromEnv.get(key);
  const where = envName ?? (key ? `"${key}"${file ? ` in ${file}` : ''}` : (file ?? 'config'));
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    const named = issues.flatMap((each) => {
      if (each.code !== 'unrecognized_keys') return [];
      const known = settingsAt(each.path);
      const full = (name: string) => [...each.path, name].join('.');
      return each.keys.map((k) => {
        const near = closestName(k, known);
        return `"${full(k)}"${near ? ` (did you mean "${full(near)}"?)` : ''}`;
      });
    });
    message = `${file ?? 'config'}: unknown setting${named.length > 1 ? 's' : ''} ${named.join(', ')}`;
  } else {
    message = `${where} ${plainIssue(issue.message)}`;
  }
  return new ConfigError(
    message,
    'See "Configuration" in the README for every setting and its default.',
  );
}

/** The setting names the schema allows at `path` (the top level, `http`, `queue`…). */
function settingsAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configSchema;
  for (const key of [...path, null]) {
    // Through defaults, optionals and pipes to the object they wrap.
    for (let depth = 0; schema && schema._zod.def.type !== 'object' && depth < 8; depth++) {
      const def = schema._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      schema = def.innerType ?? def.in;
    }
    if (schema?._zod.def.type !== 'object') return [];
    const shape: z.core.$ZodShape = (schema._zod.def as z.core.$ZodObjectDef).shape;
    if (key === null) return Object.keys(shape);
    schema = shape[String(key)];
  }
  return [];
}

/** The known name a misspelt one most likely meant, if it is close enough to be a typo. */
function closestName(name: string, known: readonly string[]): string | null {
  if (known.length === 0) return null;
  const near = closest(name.toLowerCase(), [...known]);
  return distance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, near.length / 3)
    ? near
    : null;
}
