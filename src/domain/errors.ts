/**
 * Every error code chartkeeper gives a user or keeps in the ledger. Codes are part of the JSON
 * output and the stored runs: new ones may be added, none renamed.
 */
export type ErrorCode =
  // Input and set-up.
  | 'config'
  | 'usage'
  | 'not-found'
  | 'port-in-use'
  // Spotify.
  | 'spotify-auth'
  | 'spotify-not-found'
  | 'spotify-forbidden'
  | 'spotify-rate-limit'
  | 'spotify-quota'
  | 'spotify-premium'
  | 'spotify-unavailable'
  | 'spotify-malformed'
  | 'spotify-http'
  // Storage.
  | 'store-unavailable'
  | 'store-auth'
  | 'store-error'
  | 'store-unreadable'
  | 'store-damaged'
  | 'store-too-new'
  | 'outbox-unwritable'
  | 'queue-unreachable'
  // Runs.
  | 'chart-busy'
  | 'interrupted'
  | 'missed'
  | 'not-retried'
  | 'no-serve'
  | 'malformed-capture'
  | 'empty-chart'
  // Transfer.
  | 'import-invalid'
  | 'chart-file-invalid'
  | 'export-failed'
  // Anything unexpected: a bug.
  | 'internal';

/** A failure as the ledger keeps it: what happened, what to do, and whether a retry could help. */
export interface RunError {
  code: ErrorCode;
  message: string;
  hint: string | null;
  permanent: boolean;
}

/**
 * An error a user can meet, carrying what to do about it. `permanent` tells the pipeline that a
 * retry cannot help (bad credentials, a playlist the app may not read).
 */
export class ChartkeeperError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly permanent: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string | null; permanent?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ChartkeeperError';
    this.code = code;
    this.hint = options.hint ?? null;
    this.permanent = options.permanent ?? false;
  }
}

/** Whether an error is a ChartkeeperError with one of the given codes. */
export function hasCode(error: unknown, ...codes: ErrorCode[]): error is ChartkeeperError {
  return error instanceof ChartkeeperError && codes.includes(error.code);
}

/** Turns anything thrown into the ledger's error shape; unknown errors are treated as transient. */
export function toRunError(error: unknown): RunError {
  if (error instanceof ChartkeeperError) {
    return {
      code: error.code,
      message: error.message,
      hint: error.hint,
      permanent: error.permanent,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, hint: null, permanent: false };
}
