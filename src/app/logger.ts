import { createRequire } from 'node:module';
import type Pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogSettings } from '../config/schema.js';

/** The log levels and formats the settings and options take. */
export { LOG_FORMATS, LOG_LEVELS } from '../config/schema.js';

import type { LogFields, Logger } from '../domain/ports/observability.js';
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

const RANKS = { debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY };
type Level = keyof typeof RANKS;
type Method = Exclude<Level, 'silent'>;

// pino (and pino-pretty) are loaded with require, on the first line that is written: a command
// that logs nothing never loads them.
const load = createRequire(import.meta.url);

/**
 * The process's one logger (pino): human-readable lines on a terminal (pino-pretty), JSON lines
 * otherwise, or as `log.format` says. Every line passes through the redactor on its way out, so a
 * secret in any message, field or error is masked in every format. Lines below the level cost
 * nothing; pino itself is loaded when the first line is written.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level: Level = options.settings.level ?? options.defaultLevel;
  let root: Pino.Logger | null = null;
  const pinoLogger = () => {
    root ??= makePino(options, level);
    return root;
  };
  const make = (bindings: LogFields): Logger => {
    let own: Pino.Logger | null = null;
    const get = () => {
      own ??= Object.keys(bindings).length ? pinoLogger().child(bindings) : pinoLogger();
      return own;
    };
    const at =
      (method: Method) =>
      (first: string | LogFields, message?: string): void => {
        if (RANKS[method] < RANKS[level]) return;
        if (typeof first === 'string') get()[method](first);
        else get()[method](first, message);
      };
    return {
      child: (more) => make({ ...bindings, ...more }),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    };
  };
  return make({});
}

function makePino(options: LoggerOptions, level: Level): Pino.Logger {
  const pino = load('pino') as typeof Pino;
  const { settings, redactor, target } = options;
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

function prettyStream(fd: 1 | 2): Pino.DestinationStream {
  const pinoPretty = load('pino-pretty') as typeof PinoPretty;
  const stream = fd === 1 ? process.stdout : process.stderr;
  return pinoPretty({
    destination: fd,
    sync: true,
    colorize: process.env.NO_COLOR === undefined && stream.isTTY === true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
