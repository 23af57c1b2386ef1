import type { RunError } from './run.js';

/**
 * An error a user can meet, carrying what to do about it. `permanent` tells the pipeline that a
 * retry cannot help (bad credentials, a playlist the app may not read).
 */
export class ChartkeeperError extends Error {
  readonly code: string;
  readonly hint: string | null;
  readonly permanent: boolean;

  constructor(
    code: string,
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
