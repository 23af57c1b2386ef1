import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { App } from '../app/app.js';
import { ChartkeeperError } from '../domain/errors.js';
import { createWebApp } from './web-app.js';

/** The web UI and API as they run: where, and how to stop them. */
export interface WebServer {
  /** Where it answers, as a browser would open it: http://127.0.0.1:8080/ */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the web UI and the API on `web.host`:`web.port` and notes the URL in the store.
 */
export async function startWebServer(app: App): Promise<WebServer> {
  const { host, port, token } = app.config.web;
  // checkSettingsFor('serve') refused a host beyond loopback without a token before this.
  const web = createWebApp(app, { token });
  const server = createAdaptorServer({ fetch: web.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new ChartkeeperError(
              'port-in-use',
              `serve cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'something else already does' : error.message}.`,
              {
                hint: 'Choose another with --port / CHARTKEEPER_PORT (0 picks a free one), or stop what listens there.',
                permanent: true,
              },
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/`;
  await app.recordWebUrl(url);
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      // `chartkeeper trigger` then goes straight to the store. A store gone meanwhile is no
      // reason to fail stopping: a stale URL is only tried and gone round.
      await app.forgetWebUrl(url).catch(() => {});
    },
  };
}
