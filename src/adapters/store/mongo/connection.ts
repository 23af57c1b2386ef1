import {
  MongoClient,
  type MongoClientOptions,
  MongoMissingCredentialsError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { ChartkeeperError } from '../../../domain/errors.js';
import { Redactor, redactUrlPassword } from '../../../lib/redact.js';

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

const URI_PARTS = /^(mongodb(?:\+srv)?:\/\/)(?:([^@/?]*)@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/i;

/**
 * Reads a mongodb:// or mongodb+srv:// URI. `setting` names where it came from, for the message
 * when it is malformed (the URI itself is never echoed: it may hold a password).
 */
export function parseMongoUri(uri: string, setting: string): MongoTarget {
  const parts = URI_PARTS.exec(uri.trim());
  if (!parts?.[3]) {
    throw invalidUri(
      setting,
      'expected mongodb://[user:password@]host[:port][/database][?options]',
    );
  }
  const [, scheme, userinfo, hosts, path, query] = parts as unknown as string[];
  // An unescaped '@' in the password would otherwise make the rest of it look like a host name.
  if (hosts?.includes('@')) {
    throw invalidUri(setting, 'the user name or password contains "@"; percent-encode it as %40');
  }
  let uriDatabase: string | null;
  try {
    uriDatabase = decodeURIComponent(path ?? '') || null;
  } catch {
    throw invalidUri(setting, 'the database name is not valid percent-encoding');
  }
  const [user, ...rest] = (userinfo ?? '').split(':');
  const password = rest.join(':');
  const who = userinfo === undefined ? '' : `${user}${rest.length ? ':[redacted]' : ''}@`;
  const secrets = [password, safeDecode(password), ...secretOptions(query)];
  const database = uriDatabase ?? DEFAULT_DATABASE;
  return {
    uri: uri.trim(),
    database,
    uriDatabase,
    location: `${scheme}${who}${hosts}/${database}`,
    redactor: new Redactor(secrets),
  };
}

/** A client with chartkeeper's timeouts wherever the URI does not set its own; it connects lazily. */
export function createClient(target: MongoTarget, setting: string): MongoClient {
  const query = target.uri.split('?')[1] ?? '';
  const given = new Set([...new URLSearchParams(query).keys()].map((k) => k.toLowerCase()));
  const options: MongoClientOptions = { appName: 'chartkeeper' };
  for (const [name, value] of Object.entries(CONNECTION_DEFAULTS)) {
    if (!given.has(name.toLowerCase())) (options as Record<string, unknown>)[name] = value;
  }
  if (given.has('appname')) delete options.appName;
  try {
    return new MongoClient(target.uri, options);
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
  const code = error instanceof MongoServerError ? ` (code ${error.code})` : '';
  return new ChartkeeperError(
    'store-error',
    `MongoDB at ${target.location} failed: ${reason}${code}`,
    {
      cause: error,
    },
  );
}

function isUnreachable(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError
  ) {
    return true;
  }
  if (error instanceof MongoServerSelectionError)
    return !isAuthFailure(error.cause ?? error.reason);
  // mongodb+srv looks the cluster up in DNS before the driver has a server to select, and a
  // socket the server dropped can surface as a bare EPIPE.
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && SOCKET_ERRORS.has(code);
}

function isAuthFailure(error: unknown): boolean {
  if (error instanceof MongoMissingCredentialsError) return true;
  if (!(error instanceof MongoServerError)) return false;
  // 18: wrong user or password; 13: no credentials where the server requires them.
  return error.code === 18 || error.code === 13;
}

function invalidUri(setting: string, reason: string): ChartkeeperError {
  return new ChartkeeperError('config', `${setting} is not a valid MongoDB URI: ${reason}`, {
    hint: 'Write it as mongodb://user:password@host:27017/database or mongodb+srv://user:password@cluster.example.net/database, with special characters in the password percent-encoded.',
    permanent: true,
  });
}

/** The first line of an error's message, with every trace of the URI's secrets masked. */
function reasonOf(error: unknown, target: MongoTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0]?.replace(/\.$/, '') ?? '';
  return target.redactor.redact(redactUrlPassword(line)) || 'unknown error';
}

// Options such as tlsCertificateKeyFilePassword carry secrets of their own.
function secretOptions(query: string | undefined): string[] {
  const values: string[] = [];
  for (const [name, value] of new URLSearchParams(query ?? '')) {
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
