import type * as Mongo from 'mongodb';
import type { ConnectionString as ConnectionStringClass } from 'mongodb-connection-string-url';
import { ChartkeeperError } from '../../../domain/errors.js';
import { Redactor } from '../../../lib/redact.js';
import { loadPackage } from '../../load-package.js';

/** The MongoDB driver, loaded when first needed (see loadPackage). */
export function mongodb(): typeof Mongo {
  return loadPackage<typeof Mongo>('mongodb');
}

function parseConnectionString(uri: string): ConnectionStringClass {
  const { ConnectionString } = loadPackage<{ ConnectionString: typeof ConnectionStringClass }>(
    'mongodb-connection-string-url',
  );
  return new ConnectionString(uri);
}

/** The database used when the URI names none. */
export const DEFAULT_DATABASE = 'chartkeeper';

/**
 * Timeouts used unless the URI sets them: short enough that `chartkeeper run` gives up on an
 * unreachable server within seconds (the driver's own defaults wait 30 s, or forever for a reply).
 */
export const CONNECTION_DEFAULTS = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 60_000,
} as const;

/** A MongoDB URI taken apart: what to connect to, and how to name it without its secrets. */
export interface MongoTarget {
  uri: string;
  database: string;
  /** The database the URI's path names, if it names one. */
  uriDatabase: string | null;
  /** Safe to print: the password masked, the query (which can hold secrets too) left out. */
  location: string;
  redactor: Redactor;
}

const SOCKET_ERRORS = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// Characters MongoDB does not allow in a database name (and "." would be read as a collection).
const BAD_DATABASE_CHARACTER = /[/\\. "$*<>:|?\0]/;
/** MongoDB's limit on the length of a database name, in bytes. */
const MAX_DATABASE_BYTES = 63;

/**
 * Reads a mongodb:// or mongodb+srv:// URI with the driver's own parser
 * (mongodb-connection-string-url). `setting` names where it came from, for the message when it is
 * malformed (the URI itself is never echoed: it may hold a password).
 */
export function parseMongoUri(uri: string, setting: string): MongoTarget {
  // An unescaped '@' in the password would make the rest of it look like a host name.
  const authority =
    uri
      .trim()
      .replace(/^[^:]*:\/\//, '')
      .split(/[/?]/)[0] ?? '';
  if ((authority.match(/@/g) ?? []).length > 1) {
    throw invalidUri(setting, 'the user name or password contains "@"; percent-encode it as %40');
  }
  let parsed: ConnectionStringClass;
  try {
    parsed = parseConnectionString(uri.trim());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidUri(setting, describeParseError(reason));
  }
  const hosts = parsed.hosts;
  if (hosts.length === 0 || hosts.some((host: string) => host === '')) {
    throw invalidUri(
      setting,
      'expected mongodb://host[:port][/database][?options] (to log in, USER:PASSWORD@ before the host)',
    );
  }
  let uriDatabase: string | null;
  try {
    uriDatabase = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || null;
  } catch {
    throw invalidUri(setting, 'the database name is not valid percent-encoding');
  }
  if (uriDatabase !== null) checkDatabaseName(uriDatabase, setting);
  const user = parsed.username;
  const password = parsed.password;
  const who = user || password ? `${user}${password ? ':[redacted]' : ''}@` : '';
  const secrets = [password, safeDecode(password), ...secretOptions(parsed.searchParams)];
  const database = uriDatabase ?? DEFAULT_DATABASE;
  return {
    uri: uri.trim(),
    database,
    uriDatabase,
    location: `${parsed.protocol}//${who}${hosts.join(',')}/${database}`,
    redactor: new Redactor(secrets),
  };
}

/** Refuses a database name MongoDB would refuse, as a configuration error naming the setting. */
export function checkDatabaseName(name: string, setting: string): void {
  const bad = BAD_DATABASE_CHARACTER.exec(name)?.[0];
  if (bad !== undefined) {
    throw invalidUri(
      setting,
      `the database name "${name}" contains ${JSON.stringify(bad)}, which MongoDB does not allow in database names`,
    );
  }
  if (Buffer.byteLength(name) > MAX_DATABASE_BYTES) {
    throw invalidUri(setting, `the database name is longer than ${MAX_DATABASE_BYTES} bytes`);
  }
}

/** The parser's complaint in a user's words; it never holds the URI. */
function describeParseError(reason: string): string {
  if (/scheme/i.test(reason))
    return 'expected mongodb://host[:port][/database][?options] (to log in, USER:PASSWORD@ before the host)';
  if (/port/i.test(reason)) return 'a port is not a number from 1 to 65535';
  if (/host/i.test(reason))
    return 'expected mongodb://host[:port][/database][?options] (to log in, USER:PASSWORD@ before the host)';
  return 'expected mongodb://host[:port][/database][?options] (to log in, USER:PASSWORD@ before the host)';
}

/** A client with chartkeeper's timeouts wherever the URI does not set its own; it connects lazily. */
export function createClient(target: MongoTarget, setting: string): Mongo.MongoClient {
  const given = new Set(
    [...parseConnectionString(target.uri).searchParams.keys()].map((k) => k.toLowerCase()),
  );
  const options: Mongo.MongoClientOptions = { appName: 'chartkeeper' };
  for (const [name, value] of Object.entries(CONNECTION_DEFAULTS)) {
    if (!given.has(name.toLowerCase())) (options as Record<string, unknown>)[name] = value;
  }
  if (given.has('appname')) delete options.appName;
  try {
    return new (mongodb().MongoClient)(target.uri, options);
  } catch (error) {
    throw invalidUri(setting, reasonOf(error, target));
  }
}

/** Turns a driver failure into one line the user can act on; never shows the password. */
export function toStoreError(error: unknown, target: MongoTarget): ChartkeeperError {
  if (error instanceof ChartkeeperError) return error;
  const reason = reasonOf(error, target);
  if (isUnreachable(error)) {
    return new ChartkeeperError(
      'store-unavailable',
      `MongoDB at ${target.location} is unreachable: ${reason}`,
      {
        hint: 'Check that the server is running and reachable from here (the wait is set by serverSelectionTimeoutMS in the URI).',
        cause: error,
      },
    );
  }
  if (isAuthFailure(error)) {
    return new ChartkeeperError(
      'store-auth',
      `MongoDB at ${target.location} refused access: ${reason}`,
      {
        hint: 'Check the user name, password and authSource in the URI (the password is never printed).',
        permanent: true,
        cause: error,
      },
    );
  }
  const code = error instanceof mongodb().MongoServerError ? ` (code ${error.code})` : '';
  return new ChartkeeperError(
    'store-error',
    `MongoDB at ${target.location} failed: ${reason}${code}`,
    {
      cause: error,
    },
  );
}

function isUnreachable(error: unknown): boolean {
  const driver = mongodb();
  if (
    error instanceof driver.MongoNetworkError ||
    error instanceof driver.MongoTopologyClosedError ||
    error instanceof driver.MongoNotConnectedError
  ) {
    return true;
  }
  if (error instanceof driver.MongoServerSelectionError)
    return !isAuthFailure(error.cause ?? error.reason);
  // mongodb+srv looks the cluster up in DNS before the driver has a server to select, and a
  // socket the server dropped can surface as a bare EPIPE.
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && SOCKET_ERRORS.has(code);
}

function isAuthFailure(error: unknown): boolean {
  const driver = mongodb();
  if (error instanceof driver.MongoMissingCredentialsError) return true;
  if (!(error instanceof driver.MongoServerError)) return false;
  // 18: wrong user or password; 13: no credentials where the server requires them.
  return error.code === 18 || error.code === 13;
}

function invalidUri(setting: string, reason: string): ChartkeeperError {
  return new ChartkeeperError('config', `${setting} is not a valid MongoDB URI: ${reason}`, {
    hint: 'Write it as mongodb://host:27017/database or mongodb+srv://cluster.example.net/database; to log in, put USER:PASSWORD@ before the host, with special characters in the password percent-encoded.',
    permanent: true,
  });
}

/** The first line of an error's message, with every trace of the URI's secrets masked. */
function reasonOf(error: unknown, target: MongoTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0]?.replace(/\.$/, '') ?? '';
  return target.redactor.redact(line) || 'unknown error';
}

// Options such as tlsCertificateKeyFilePassword carry secrets of their own.
function secretOptions(query: URLSearchParams): string[] {
  const values: string[] = [];
  for (const [name, value] of query) {
    if (/password|secret|token/i.test(name)) values.push(value);
    if (/^authMechanismProperties$/i.test(name)) values.push(...value.split(/[,:]/).slice(1));
  }
  return values;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The secrets a MongoDB URI carries (its password, as written and decoded, and secret options),
 * to mask wherever they could surface; none when the URI cannot be read.
 */
export function uriSecrets(uri: string): string[] {
  try {
    const parsed = parseConnectionString(uri.trim());
    return [
      parsed.password,
      safeDecode(parsed.password),
      ...secretOptions(parsed.searchParams),
    ].filter((secret) => secret.length > 0);
  } catch {
    return [];
  }
}
