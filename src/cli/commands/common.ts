import type { Command } from 'commander';
import { LOG_FORMATS as FORMATS, LOG_LEVELS as LEVELS } from '../../app/logger.js';
import { oneOf } from '../options.js';

/** Adds --log-level and --log-format (CHARTKEEPER_LOG_LEVEL / CHARTKEEPER_LOG_FORMAT). */
export function withLogOptions(command: Command, defaultLevel: 'info' | 'warn' | 'error'): Command {
  return command
    .option(
      '--log-level <level>',
      `log lines from this level up: ${LEVELS.join(', ')} (default ${defaultLevel})`,
      oneOf(LEVELS),
    )
    .option(
      '--log-format <format>',
      'pretty (for people), json (one object per line) or auto (pretty on a terminal)',
      oneOf(FORMATS),
    );
}
