import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the page shown after Spotify's redirect says, and with which status. */
export interface CallbackPage {
  status: number;
  text: string;
}

/** The one-shot server that receives Spotify's redirect at the end of a login. */
export interface CallbackServer {
  /** `http://127.0.0.1:PORT/callback`: what to register in the Spotify dashboard. */
  readonly redirectUri: string;
  close(): Promise<void>;
}

/** Always 127.0.0.1: Spotify refuses `localhost`, and nothing beyond this machine may answer. */
export const CALLBACK_HOST = '127.0.0.1';
export const CALLBACK_PATH = '/callback';
const CLOSE_GRACE_MS = 2_000;

/**
 * Listens on 127.0.0.1:`port` (0: any free port) for GET /callback and hands each redirect to
 * `onRedirect`, whose page is shown in the browser. Anything else answers 404. Throws the
 * listen error (EADDRINUSE…) for the caller to explain.
 */
export async function startCallbackServer(
  port: number,
  onRedirect: (url: URL) => Promise<CallbackPage>,
): Promise<CallbackServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${CALLBACK_HOST}`);
    const reply = (page: CallbackPage) => {
      const body = `<!doctype html><meta charset="utf-8"><title>chartkeeper</title><p>${escapeHtml(page.text)}</p>\n`;
      res.writeHead(page.status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // The page holds nothing to embed or to run.
        'content-security-policy': "default-src 'none'",
        'referrer-policy': 'no-referrer',
        // One page per connection: closing the server then waits for no idle browser socket.
        connection: 'close',
      });
      res.end(body);
    };
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      reply({ status: 404, text: 'Not found.' });
      return;
    }
    onRedirect(url).then(reply, (error: unknown) =>
      reply({ status: 500, text: error instanceof Error ? error.message : String(error) }),
    );
  });
  server.listen(port, CALLBACK_HOST);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const { port: actual } = server.address() as AddressInfo;
  return {
    redirectUri: `http://${CALLBACK_HOST}:${actual}${CALLBACK_PATH}`,
    // The page of the redirect that ended the login is still being written: let it finish, but
    // never wait long for a browser that keeps its connection open.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
