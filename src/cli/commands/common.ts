import type { Command } from 'commander';
import { LOG_FORMATS as FORMATS, LOG_LEVELS as LEVELS } from '../../app/logger.js';
import { oneOf, parseChart, parseDate } from '../options.js';

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

/**
 * Adds `-c/--chart KEY` (default: the first configured chart, else the latest stored one) and
 * `-d/--date` (default: the latest stored chart), as `chart`, `movers` and `top` read them.
 */
export function withChartOption(command: Command): Command {
  return command.option(
    '-c, --chart <key>',
    'which chart: regional-global-daily, viral-us-weekly, a playlist id, URI or link (default: the first configured chart, or else the latest stored one)',
    parseChart,
  );
}

/** Adds `-d/--date YYYY-MM-DD`: the chart of that date (default: the latest stored). */
export function withDateOption(command: Command): Command {
  return command.option(
    '-d, --date <YYYY-MM-DD>',
    'the chart of that date (default: the latest stored)',
    parseDate,
  );
}
