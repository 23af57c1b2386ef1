import type { Command } from 'commander';
import type { App } from '../../app/app.js';
import type { Running } from '../../app/serve.js';
import { runUntilStopped } from '../long-running.js';
import { parseCount } from '../options.js';
import type { LogOptions } from '../session.js';
import { withLogOptions } from './common.js';

/**
 * `chartkeeper serve`: the scheduler, the web UI and the HTTP API; with no queue configured, it
 * runs the captures too.
 */
export function define(command: Command): void {
  withLogOptions(command, 'info')
    .option(
      '--host <address>',
      'where the web UI and API answer (CHARTKEEPER_HOST; default 127.0.0.1)',
    )
    .option(
      '--port <number>',
      'their port (CHARTKEEPER_PORT; default 8080, 0 for any free port)',
      parseCount(0, 65_535),
    )
    .action((options: LogOptions & { host?: string; port?: number }) =>
      runUntilStopped('serve', options, serveWithWeb, {
        CHARTKEEPER_HOST: options.host,
        CHARTKEEPER_PORT: options.port === undefined ? undefined : String(options.port),
      }),
    );
}

/** The scheduler (and captures), then the web server in front of the same app. */
async function serveWithWeb(app: App): Promise<Running> {
  const { startWebServer } = await import('../../web/server.js');
  const serving = await app.serve();
  let web: Awaited<ReturnType<typeof startWebServer>>;
  try {
    web = await startWebServer(app);
  } catch (error) {
    await serving.stop();
    throw error;
  }
  return {
    description: `${serving.description}\nweb UI and API at ${web.url}`,
    stop: async () => {
      await web.close();
      await serving.stop();
    },
  };
}
