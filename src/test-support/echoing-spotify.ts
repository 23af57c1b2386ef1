import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A careless stand-in for Spotify: it issues a fresh access token per token request (or, with
 * `refuseToken`, refuses the credentials quoting the Basic header) and refuses every Web API call
 * with a 403 whose message echoes the request's Authorization header, so the secret ends up in
 * the error chartkeeper records and prints unless it is masked.
 */
export async function echoingSpotify(options: { refuseToken?: boolean } = {}): Promise<{
  apiUrl: string;
  accountsUrl: string;
  /** Every access token issued so far. */
  tokens: string[];
  close: () => Promise<void>;
}> {
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    // Drain the body: a POST's form must be read before the reply goes out.
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/api/token' && options.refuseToken) {
        // As a careless accounts service might: the refusal quotes the Basic credential.
        res.statusCode = 400;
        res.end(
          JSON.stringify({
            error: 'invalid_client',
            error_description: `Invalid client for Authorization: ${req.headers.authorization}`,
          }),
        );
        return;
      }
      if (req.method === 'POST' && req.url === '/api/token') {
        const token = `echo-token-${randomUUID()}`;
        tokens.push(token);
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      res.statusCode = 403;
      const message = `Refused request with Authorization: ${req.headers.authorization ?? '(none)'}`;
      res.end(JSON.stringify({ error: { status: 403, message } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}/v1`,
    accountsUrl: origin,
    tokens,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
