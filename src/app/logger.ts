import { createRequire } from 'node:module';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogSettings } from '../config/schema.js';
import type { Logger } from '../domain/ports/observability.js';
import type { Redactor } from '../lib/redact.js';

/** Where a command's log lines go. */
export type LogTarget =
  /** Long-running processes (`serve`, `worker`): info on stdout, warnings and errors on stderr. */
  | 'split'
  /** One-shot commands: every line on stderr, so stdout carries only results. */
  | 'stderr';

export interface LoggerOptions {
  settings: LogSettings;
  /** The level when neither --log-level nor CHARTKEEPER_LOG_LEVEL says. */
  defaultLevel: 'debug' | 'info' | 'warn' | 'error';
  target: LogTarget;
  /** Masks secrets in every line, whatever the format, before it is written. */
  redactor: Redactor;
}

/**
 * The process's one logger (pino): human-readable lines on a terminal (pino-pretty), JSON lines
 * otherwise, or as `log.format` says. Every line passes through the redactor on its way out, so a
 * secret in any message, field or error is masked in every format.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { settings, redactor, target } = options;
  const level = settings.level ?? options.defaultLevel;
  const tty = target === 'split' ? process.stdout.isTTY : process.stderr.isTTY;
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && tty === true);
  const destination = (fd: 1 | 2) =>
    pretty ? prettyStream(fd) : pino.destination({ fd, sync: true });
  const stream =
    target === 'split'
      ? pino.multistream(
          [
            { level: 'debug', stream: destination(1) },
            { level: 'warn', stream: destination(2) },
          ],
          { dedupe: true },
        )
      : destination(2);
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    stream,
  );
}

// pino-pretty is only loaded when lines are written for a person to read.
function prettyStream(fd: 1 | 2): pino.DestinationStream {
  const pinoPretty = requirePretty();
  return pinoPretty({
    destination: fd,
    sync: true,
    colorize:
      process.env.NO_COLOR === undefined &&
      (fd === 1 ? process.stdout : process.stderr).isTTY === true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}

function requirePretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}
