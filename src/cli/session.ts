import type { App } from '../app/app.js';
import { checkSettingsFor, type Role, readConfig } from '../app/config.js';
import type { Access } from '../app/context.js';
import type { LogTarget } from '../app/logger.js';
import { openApp } from '../app/open-app.js';
import { complain, useRedactor } from './output.js';

/** How a command logs: options given on its command line, and where its lines go. */
export interface LogOptions {
  logLevel?: string;
  logFormat?: string;
}

/**
 * Opens the application for one command (configuration read and checked once), runs `work` and
 * always closes it. The application core is loaded here, on demand, so that `--help` and the
 * commands that need little start fast.
 */
export async function withApp<T>(
  options: {
    access: Access;
    mustExist?: boolean;
    log?: LogOptions;
    target?: LogTarget;
    defaultLevel?: 'debug' | 'info' | 'warn' | 'error';
  },
  work: (app: App) => Promise<T>,
): Promise<T> {
  const app = await openFor(options);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** Opens the application for a command that closes it itself (serve, worker, run). */
export async function openFor(options: {
  access: Access;
  /** Refuse to create the store (commands that make sense only for a store in use). */
  mustExist?: boolean;
  /** What the process will do: the settings it needs are checked before anything is opened. */
  role?: Role;
  log?: LogOptions;
  target?: LogTarget;
  defaultLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Settings given on the command line, as the environment variables they override. */
  settings?: Record<string, string | undefined>;
}): Promise<App> {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    if (value !== undefined) env[name] = value;
  }
  // Command-line options win over the environment, which wins over the file.
  if (options.log?.logLevel) env.CHARTKEEPER_LOG_LEVEL = options.log.logLevel;
  if (options.log?.logFormat) env.CHARTKEEPER_LOG_FORMAT = options.log.logFormat;
  const { config, warnings } = readConfig(env);
  for (const warning of warnings) complain(`chartkeeper: ${warning}`);
  if (options.role) checkSettingsFor(config, options.role);
  const app = await openApp(config, {
    access: options.access,
    mustExist: options.mustExist,
    log: { defaultLevel: options.defaultLevel ?? 'warn', target: options.target ?? 'stderr' },
  });
  useRedactor(app.context.redactor);
  return app;
}
