import { ChartkeeperError, type ErrorCode } from '../domain/errors.js';
import { Redactor } from '../lib/redact.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Errors a user fixes by changing what they typed or configured: exit code 2. */
const USAGE_CODES: readonly ErrorCode[] = ['config', 'usage', 'port-in-use'];

// Masks secrets in whatever reaches the terminal; the app's own redactor once one is open.
let redactor = new Redactor();

/** From now on, error output is masked with the app's redactor (which knows its secrets). */
export function useRedactor(appRedactor: Redactor): void {
  redactor = appRedactor;
}

/** An error that ends the command with a message and an exit code, never a stack trace. */
export class CliError extends ChartkeeperError {
  readonly exitCode: number;

  constructor(
    message: string,
    options: { hint?: string; exitCode?: number; code?: ErrorCode } = {},
  ) {
    super(options.code ?? 'usage', message, { hint: options.hint ?? null, permanent: true });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** Prints a value as stable, pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A result line on stdout. */
export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A failure, warning or progress line on stderr (stdout carries only results). */
export function complain(text: string): void {
  process.stderr.write(`${redactor.redact(text)}\n`);
}

/** The exit code an error ends the command with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ChartkeeperError) {
    return USAGE_CODES.includes(error.code) ? EXIT.usage : EXIT.failed;
  }
  return EXIT.failed;
}

/**
 * Prints one or two lines about an error on stderr and returns the exit code to use. Only an
 * error chartkeeper did not expect is called a bug.
 */
export function reportError(error: unknown): number {
  if (error instanceof ChartkeeperError) {
    complain(`chartkeeper: ${error.message}`);
    if (error.hint) complain(`  ${error.hint}`);
    return exitCodeOf(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  complain(`chartkeeper: unexpected error: ${message}`);
  complain('  This is a bug; please report it with the command you ran.');
  return EXIT.failed;
}

// Whether stdout carries data that is useless when cut short (an export), so that a reader
// stopping early is a failure (exit 1) rather than the end of what it wanted (`runs | head`).
let stdoutMustBeWhole = false;

/** From now on, a closed stdout fails the command (see readerStopped). */
export function requireWholeStdout(): void {
  stdoutMustBeWhole = true;
}

/** Ends the process after stdout's reader stopped reading (EPIPE). */
export function readerStopped(): never {
  if (!stdoutMustBeWhole) process.exit(process.exitCode ?? EXIT.ok);
  complain('chartkeeper: the output was cut short: whatever read it stopped before the end.');
  process.exit(EXIT.failed);
}
