import { ChartkeeperError } from '../domain/errors.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** An error that ends the command with a message and an exit code, never a stack trace. */
export class CliError extends ChartkeeperError {
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; code?: string } = {}) {
    super(options.code ?? 'usage', message, { hint: options.hint ?? null, permanent: true });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** Prints a value as stable, pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints one or two lines about an error on stderr and returns the exit code to use. */
export function reportError(error: unknown): number {
  if (error instanceof ChartkeeperError) {
    process.stderr.write(`chartkeeper: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    if (error instanceof CliError) return error.exitCode;
    return error.code === 'config' ? EXIT.usage : EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`chartkeeper: unexpected error: ${message}\n`);
  process.stderr.write('  This is a bug; please report it with the command you ran.\n');
  return EXIT.failed;
}
