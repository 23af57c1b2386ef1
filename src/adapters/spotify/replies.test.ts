import { describe, expect, it } from 'vitest';
import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import { Redactor } from '../../lib/redact.js';
import { failure } from '../../test-support/spotify-setup.js';
import { SpotifyClient } from './client.js';
import { SpotifyPlaylistFetcher } from './spotify-source.js';

/* Replies the emulator does not produce, answered by a fake fetch. */

const SPOTIFY: SpotifySettings = {
  apiUrl: 'http://spotify.test/v1',
  accountsUrl: 'http://accounts.test',
  clientId: 'client-id-0123456789',
  clientSecret: 'client-secret-0123456789',
};
const HTTP: HttpSettings = { timeoutMs: 2_000, maxAttempts: 1, maxRetryWaitMs: 0 };

type Route = (url: URL, headers: Headers) => { status?: number; body: unknown };

function fakeFetch(route: Route): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input.toString());
    const { status = 200, body } = route(url, new Headers(init?.headers));
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function client(route: Route, redactor?: Redactor): SpotifyClient {
  return new SpotifyClient(SPOTIFY, HTTP, {
    fetch: fakeFetch(route),
    sleep: async () => {},
    random: () => 0,
    redactor,
  });
}

describe('token replies', () => {
  it('accepts a reply without expires_in, assuming Spotify’s documented hour', async () => {
    const c = client(() => ({
      body: { access_token: 'token-without-lifetime', token_type: 'Bearer' },
    }));
    const token = await c.tokens.token();
    expect(token).toMatchObject({ value: 'token-without-lifetime', validForSeconds: 3600 });
  });

  it('still refuses a reply without access_token, without quoting it', async () => {
    const c = client(() => ({ body: { token_type: 'Bearer', expires_in: 3600 } }));
    const error = await failure(c.tokens.token());
    expect(error.code).toBe('spotify-malformed');
    expect(error.message).toMatch(/access_token/);
  });

  it('registers every new access token with the redactor', async () => {
    const redactor = new Redactor([]);
    let issued = 0;
    const c = client(
      () => ({ body: { access_token: `access-token-${++issued}-abcdef` } }),
      redactor,
    );
    const first = (await c.tokens.token()).value;
    c.tokens.invalidate();
    const second = (await c.tokens.token()).value;
    expect(redactor.redact(`Bearer ${first} then ${second}`)).toBe(
      'Bearer [redacted] then [redacted]',
    );
  });

  it('passes the redactor through SpotifyPlaylistFetcher', async () => {
    const redactor = new Redactor([]);
    const source = new SpotifyPlaylistFetcher(SPOTIFY, HTTP, {
      fetch: fakeFetch(() => ({ body: { access_token: 'source-token-abcdef', expires_in: 60 } })),
      redactor,
    });
    await source.authenticate(() => {});
    expect(redactor.redact('source-token-abcdef')).toBe('[redacted]');
  });
});

describe('paging with an understated total', () => {
  it('reads every page and warns that the count differs from total', async () => {
    const route: Route = (url) => {
      if (url.pathname === '/api/token') return { body: { access_token: 'paging-token-abcdef' } };
      const offset = Number(url.searchParams.get('offset') ?? 0);
      // total says 3, but there are 6 items in pages of 2 (short pages among them).
      const sizes: Record<number, number> = { 0: 2, 2: 1, 4: 2, 6: 1 };
      const size = sizes[offset] ?? 0;
      const nextOffset = offset + 2;
      return {
        body: {
          href: url.toString(),
          items: Array.from({ length: size }, () => ({ added_at: null, item: null })),
          limit: 2,
          offset,
          total: 3,
          next:
            nextOffset <= 6 ? `${url.origin}${url.pathname}?offset=${nextOffset}&limit=2` : null,
          previous: null,
        },
      };
    };
    const logs: string[] = [];
    const { pages } = await client(route).getPlaylistItems('p', (level, message) => {
      logs.push(`${level}: ${message}`);
    });
    expect(pages.map((p) => p.offset)).toEqual([0, 2, 4, 6]);
    expect(logs).toContain(
      "warn: GET /playlists/p/items: received 6 items but Spotify's total says 3; keeping what was received",
    );
  });
});
